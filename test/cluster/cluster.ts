import path from 'node:path';
import { ensureBinaries } from './build.js';
import { componentNames, type ComponentName } from './components.js';
import { ClusterError } from './errors.js';
import { isHealthy, type ClientTls } from './health.js';
import { resolveLayout, showPath, type ClusterLayout } from './layout.js';
import { pidFilePath, readPlaneState, withPlaneLock, type PlaneState } from './plane-state.js';
import { isOurProcess, readPidFile, readRssBytes } from './processes.js';
import { countReadyNodes, loadAdminTls, startNodeAgent, startPlane } from './start.js';
import { planeMarker, stopComponent, stopPlane } from './stop.js';

/** What tests, the demo and the CLI need to use a running plane. */
export interface ClusterHandle {
  readonly kubeconfigPath: string;
  readonly apiServerUrl: string;
  readonly binDir: string;
  /** True when this call started the plane, false when it reused a running one. */
  readonly started: boolean;
  readonly layout: ClusterLayout;
}

/** Options shared by the programmatic API. */
export interface ClusterOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly report?: (line: string) => void;
}

/** Writes progress lines to stderr, so stdout stays clean for command output. */
export function reportToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

function resolveNodeCount(env: NodeJS.ProcessEnv): number {
  const value = env['PXL_CLUSTER_NODES'] ?? '2';
  const nodes = Number(value);
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > 20) {
    throw new ClusterError(`PXL_CLUSTER_NODES=${value} is not a node count; set 0-20 (0 runs no node agent)`);
  }
  return nodes;
}

function adminTls(layout: ClusterLayout): ClientTls | undefined {
  try {
    const file = (name: string): string => path.join(layout.pkiDir, name);
    return loadAdminTls({ caCert: file('ca.crt'), client: (n) => ({ cert: file(`${n}.crt`), key: file(`${n}.key`) }) });
  } catch {
    return undefined;
  }
}

async function isRunning(layout: ClusterLayout, name: ComponentName): Promise<boolean> {
  const pid = await readPidFile(pidFilePath(layout, name));
  return pid !== undefined && (await isOurProcess(pid, planeMarker(layout)));
}

// A plane is reusable when every control-plane process of it lives and the apiserver says it is ready.
async function findHealthyPlane(layout: ClusterLayout, binDir: string): Promise<{ state: PlaneState; tls: ClientTls } | undefined> {
  const state = await readPlaneState(layout);
  const tls = adminTls(layout);
  if (state === undefined || tls === undefined || state.binDir !== binDir) return undefined;
  for (const name of componentNames.filter((n) => n !== 'node-agent')) {
    if (!(await isRunning(layout, name))) return undefined;
  }
  return (await isHealthy(`${state.apiServerUrl}/readyz`, tls)) ? { state, tls } : undefined;
}

/** Brings the local control plane up, or reuses a healthy running one; builds or restores the binaries first. */
export async function ensureCluster(options: ClusterOptions = {}): Promise<ClusterHandle> {
  const env = options.env ?? process.env;
  const report = options.report ?? reportToStderr;
  const layout = resolveLayout(env);
  const nodes = resolveNodeCount(env);
  return withPlaneLock(layout, report, async () => {
    const started = Date.now();
    const { binDir } = await ensureBinaries({ layout, report, env });
    const running = await findHealthyPlane(layout, binDir);
    const startOptions = { layout, binDir, env, nodes, report };
    if (running !== undefined) {
      if (!(await isRunning(layout, 'node-agent'))) {
        await stopComponent(layout, 'node-agent', report);
        await startNodeAgent(startOptions, running.state.apiServerUrl, running.tls);
      }
      report(`cluster: reusing the running control plane at ${running.state.apiServerUrl}`);
      return { kubeconfigPath: layout.kubeconfigPath, apiServerUrl: running.state.apiServerUrl, binDir, started: false, layout };
    }
    await stopPlane(layout, report);
    try {
      const state = await startPlane(startOptions);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      report(`cluster: up in ${seconds} s at ${state.apiServerUrl}; kubeconfig ${showPath(layout.kubeconfigPath)}`);
      return { kubeconfigPath: layout.kubeconfigPath, apiServerUrl: state.apiServerUrl, binDir, started: true, layout };
    } catch (error) {
      await stopPlane(layout, () => undefined);
      throw error;
    }
  });
}

/** Stops everything `up` started in this plane's directory and cleans stale pid files. */
export async function stopCluster(options: ClusterOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const report = options.report ?? reportToStderr;
  const layout = resolveLayout(env);
  await withPlaneLock(layout, report, () => stopPlane(layout, report));
}

/** The state of one process of the plane. */
export interface ComponentStatus {
  readonly name: ComponentName;
  readonly state: 'running' | 'stopped' | 'stale';
  readonly pid?: number;
  readonly rssBytes?: number;
}

/** What `status` reports. */
export interface ClusterStatus {
  readonly layout: ClusterLayout;
  readonly components: readonly ComponentStatus[];
  readonly plane?: PlaneState;
  readonly ready: boolean;
  readonly readyNodes: number;
}

async function readComponentStatus(layout: ClusterLayout, name: ComponentName): Promise<ComponentStatus> {
  const pid = await readPidFile(pidFilePath(layout, name));
  if (pid === undefined) return { name, state: 'stopped' };
  if (!(await isOurProcess(pid, planeMarker(layout)))) return { name, state: 'stale', pid };
  const rssBytes = await readRssBytes(pid);
  return rssBytes === undefined ? { name, state: 'running', pid } : { name, state: 'running', pid, rssBytes };
}

/** Reads the state of every component, the apiserver's readiness and the number of Ready nodes. */
export async function readClusterStatus(options: ClusterOptions = {}): Promise<ClusterStatus> {
  const layout = resolveLayout(options.env ?? process.env);
  const components = await Promise.all(componentNames.map((n) => readComponentStatus(layout, n)));
  const plane = await readPlaneState(layout);
  const tls = adminTls(layout);
  if (plane === undefined || tls === undefined) return { layout, components, ready: false, readyNodes: 0 };
  const ready = await isHealthy(`${plane.apiServerUrl}/readyz`, tls);
  const readyNodes = ready ? await countReadyNodes(plane.apiServerUrl, tls) : 0;
  return { layout, components, plane, ready, readyNodes };
}
