import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { ObjectReader } from './container-env.js';
import type { PodPlacement } from './field-ref.js';
import type { PodDir } from './state-dir.js';
import { materializeVolumes, type MaterializedVolumes, type TokenIssuer } from './volumes.js';

/** How processes reach the API server: the agent's own server URL and CA. */
export interface ClusterAccess {
  readonly server: string;
  readonly host: string;
  readonly port: string;
  readonly caData: string;
}

/** A Pod's prepared sandbox: its volumes and, when it mounts a service-account token, a kubeconfig. */
export interface PodSandbox extends MaterializedVolumes {
  readonly kubeconfig: { readonly path: string; readonly volume: string } | undefined;
}

/** The mount path the kubelet uses for the service-account token. */
export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Finds the projected volume (and file) that holds the Pod's service-account token, preferring the standard mount. */
export function findTokenVolume(pod: V1Pod): { volume: string; file: string } | undefined {
  const candidates = (pod.spec?.volumes ?? []).flatMap((volume) => {
    const source = volume.projected?.sources?.find((projection) => projection.serviceAccountToken !== undefined);
    return source?.serviceAccountToken === undefined ? [] : [{ volume: volume.name, file: source.serviceAccountToken.path }];
  });
  const mounts = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].flatMap((container) => container.volumeMounts ?? []);
  const standard = candidates.find((candidate) => mounts.some((mount) => mount.name === candidate.volume && mount.mountPath === serviceAccountMountPath));
  return standard ?? candidates[0];
}

async function writeKubeconfig(target: string, tokenFile: string, namespace: string, cluster: ClusterAccess): Promise<void> {
  const token = (await readFile(tokenFile, 'utf8')).trim();
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'in-cluster', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } }],
    users: [{ name: 'service-account', user: { token, tokenFile } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account', namespace } }],
    'current-context': 'in-cluster',
  };
  await writeFile(target, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

/** Writes a Pod's volumes and its stand-in for in-cluster config under its Pod directory. */
export async function prepareSandbox(
  dir: PodDir, placement: PodPlacement, reader: ObjectReader, tokens: TokenIssuer, cluster: ClusterAccess,
): Promise<PodSandbox> {
  await dir.create();
  const volumes = await materializeVolumes(placement.pod.spec?.volumes ?? [], dir.volumes, placement, reader, tokens);
  const tokenVolume = findTokenVolume(placement.pod);
  const tokenDir = tokenVolume === undefined ? undefined : volumes.hostPaths.get(tokenVolume.volume);
  if (tokenVolume === undefined || tokenDir === undefined) {
    return { ...volumes, kubeconfig: undefined };
  }
  const namespace = placement.pod.metadata?.namespace ?? 'default';
  await writeKubeconfig(dir.kubeconfig, path.join(tokenDir, tokenVolume.file), namespace, cluster);
  return { ...volumes, kubeconfig: { path: dir.kubeconfig, volume: tokenVolume.volume } };
}
