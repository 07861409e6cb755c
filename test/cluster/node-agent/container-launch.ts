import { access } from 'node:fs/promises';
import path from 'node:path';
import type { V1Container } from '@kubernetes/client-node';
import { buildContainerEnv, type ObjectReader } from './container-env.js';
import { ContainerCreateError } from './errors.js';
import { expandVars } from './expand-vars.js';
import type { PodPlacement } from './field-ref.js';
import { rewriteMountPath, type MountMapping } from './host-paths.js';
import { describeUnknownImage, findImageMapping, resolveCommand } from './images.js';
import type { ClusterAccess, PodSandbox } from './pod-sandbox.js';
import type { ProcessSpec } from './process-group.js';
import type { ProbeTarget } from './probes.js';
import type { PodDir } from './state-dir.js';

/** Everything needed to turn a container spec into a host process. */
export interface LaunchContext {
  readonly repoRoot: string;
  readonly dir: PodDir;
  readonly placement: PodPlacement;
  readonly sandbox: PodSandbox;
  readonly cluster: ClusterAccess;
  readonly reader: ObjectReader;
}

/** Maps each of a container's mounts to the host directory that backs it (subPath included). */
export function mapMounts(container: V1Container, hostPaths: ReadonlyMap<string, string>): MountMapping[] {
  return (container.volumeMounts ?? []).flatMap((mount) => {
    const hostPath = hostPaths.get(mount.name);
    return hostPath === undefined ? [] : [{ mountPath: mount.mountPath, hostPath: path.join(hostPath, mount.subPath ?? '') }];
  });
}

function buildBaseEnv(container: V1Container, context: LaunchContext, mounts: readonly MountMapping[]): Map<string, string> {
  const { cluster, dir, placement, sandbox } = context;
  const tmp = mounts.find((mount) => mount.mountPath.replace(/\/$/, '') === '/tmp')?.hostPath ?? dir.tmp;
  const base = new Map<string, string>([
    ['PATH', process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'],
    ['HOME', dir.home],
    ['TMPDIR', tmp],
    ['HOSTNAME', placement.pod.spec?.hostname ?? placement.pod.metadata?.name ?? ''],
    ['KUBERNETES_SERVICE_HOST', cluster.host],
    ['KUBERNETES_SERVICE_PORT', cluster.port],
    ['KUBERNETES_SERVICE_PORT_HTTPS', cluster.port],
  ]);
  const kubeconfig = sandbox.kubeconfig;
  if (kubeconfig !== undefined && (container.volumeMounts ?? []).some((mount) => mount.name === kubeconfig.volume)) {
    base.set('KUBECONFIG', kubeconfig.path);
  }
  return base;
}

/** Resolves a container to the process to start: the mapped entry point, its env, args and log file. */
export async function buildLaunch(container: V1Container, context: LaunchContext): Promise<{ spec: ProcessSpec; probeTarget: ProbeTarget }> {
  const image = container.image ?? '';
  const mapping = findImageMapping(image);
  if (mapping === undefined) {
    throw new ContainerCreateError('ErrImagePull', describeUnknownImage(image));
  }
  const mounts = mapMounts(container, context.sandbox.hostPaths);
  const base = buildBaseEnv(container, context, mounts);
  const env = await buildContainerEnv(container, context.placement, context.reader, base);
  const envRecord: Record<string, string> = {};
  for (const [name, value] of env) {
    // Only values from the Pod spec name container paths; the agent's own (TMPDIR, HOME) are host paths already.
    envRecord[name] = base.get(name) === value ? value : rewriteMountPath(value, mounts);
  }
  const args = (container.args ?? []).map((arg) => rewriteMountPath(expandVars(arg, (name) => env.get(name)), mounts));
  const command = resolveCommand(mapping, context.repoRoot, args);
  try {
    await access(command.entry);
  } catch (error) {
    throw new ContainerCreateError('CreateContainerError', `entry point ${command.entry} for image "${image}" is missing; run npm run build`, { cause: error });
  }
  const spec: ProcessSpec = { file: command.file, args: command.args, env: envRecord, cwd: context.repoRoot, logPath: context.dir.logPath(container.name) };
  const probeTarget: ProbeTarget = { podIP: context.placement.podIP, ports: container.ports ?? [], env: envRecord, cwd: context.repoRoot };
  return { spec, probeTarget };
}
