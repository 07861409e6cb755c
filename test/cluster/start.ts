import { access, mkdir, rename, rm } from 'node:fs/promises';
import {
  buildControlPlaneSpecs, buildNodeAgentSpec, componentKubeconfig, componentNames, firstServiceIp, nodeAgentEntry,
  type ComponentName, type ComponentSpec, type PlanePorts,
} from './components.js';
import { ClusterError } from './errors.js';
import { getUrl, loadClientTls, pollUntil, type ClientTls, type PollOutcome } from './health.js';
import { writeKubeconfig } from './kubeconfig.js';
import { showPath, type ClusterLayout } from './layout.js';
import { ensurePki, type Pki } from './pki.js';
import { logFilePath, pidFilePath, writePlaneState, type PlaneState } from './plane-state.js';
import { assertPortFree, pickFreePorts } from './ports.js';
import { readLogTail, startDetached, type DetachedProcess } from './processes.js';

/** Inputs of `startPlane`. */
export interface StartOptions {
  readonly layout: ClusterLayout;
  readonly binDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly nodes: number;
  readonly report: (line: string) => void;
}

const startTimeoutMs: Record<ComponentName, number> = {
  etcd: 30_000, 'kube-apiserver': 180_000, 'kube-controller-manager': 90_000, 'kube-scheduler': 90_000, 'node-agent': 120_000,
};

async function choosePorts(env: NodeJS.ProcessEnv): Promise<PlanePorts> {
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler] = await pickFreePorts(5);
  if (etcdClient === undefined || etcdPeer === undefined || apiserver === undefined || controllerManager === undefined || scheduler === undefined) {
    throw new ClusterError('could not find five free ports on 127.0.0.1; free some ports and re-run');
  }
  const fixed = env['PXL_APISERVER_PORT'];
  if (fixed === undefined || fixed === '') return { etcdClient, etcdPeer, apiserver, controllerManager, scheduler };
  const port = Number(fixed);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ClusterError(`PXL_APISERVER_PORT=${fixed} is not a port number; set 1-65535 or unset it for a free port`);
  }
  await assertPortFree(port, 'kube-apiserver (PXL_APISERVER_PORT)');
  return { etcdClient, etcdPeer, apiserver: port, controllerManager, scheduler };
}

/** Fails with a clear message when a component's binary is missing. */
export async function assertBinary(spec: Pick<ComponentSpec, 'name' | 'command'>): Promise<void> {
  try {
    await access(spec.command);
  } catch (error) {
    throw new ClusterError(`${spec.name} binary not found at ${spec.command}; run \`npm run cluster -- build\` (or unset PXL_CLUSTER_BIN_DIR) and re-run`, { cause: error });
  }
}

async function diedOnStart(layout: ClusterLayout, name: ComponentName, proc: DetachedProcess): Promise<ClusterError> {
  const { code, signal } = await proc.exit;
  const log = logFilePath(layout, name);
  const how = signal === undefined ? `exit code ${String(code)}` : `signal ${signal}`;
  return new ClusterError(`${name} died during start-up (${how}); see the last log lines below and ${showPath(log)}`, {
    details: await readLogTail(log, 15),
  });
}

async function timedOut(layout: ClusterLayout, name: ComponentName, what: string): Promise<ClusterError> {
  const log = logFilePath(layout, name);
  return new ClusterError(`${name} did not become ${what} within ${String(startTimeoutMs[name] / 1000)} s; see the last log lines below and ${showPath(log)}`, {
    details: await readLogTail(log, 15),
  });
}

/** Waits until `ready` holds while the process lives; a death or timeout becomes a ClusterError carrying the log tail. */
export async function waitReady(layout: ClusterLayout, name: ComponentName, proc: DetachedProcess, what: string, ready: () => Promise<boolean>): Promise<void> {
  const check = async (): Promise<PollOutcome> => {
    if (proc.hasExited()) return { done: false, abort: await diedOnStart(layout, name, proc) };
    return (await ready()) ? { done: true } : { done: false };
  };
  if (!(await pollUntil(check, startTimeoutMs[name]))) throw await timedOut(layout, name, what);
}

async function answersOk(url: string, tls: ClientTls): Promise<boolean> {
  try {
    return (await getUrl(url, tls, 3000)).status === 200;
  } catch {
    return false;
  }
}

interface NodeList { items?: { status?: { conditions?: { type?: string; status?: string }[] } }[] }

/** Counts Nodes whose Ready condition is True. */
export async function countReadyNodes(apiServerUrl: string, tls: ClientTls): Promise<number> {
  try {
    const answer = await getUrl(`${apiServerUrl}/api/v1/nodes`, tls, 5000);
    if (answer.status !== 200) return 0;
    const list = JSON.parse(answer.body) as NodeList;
    return (list.items ?? []).filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true).length;
  } catch {
    return 0;
  }
}

/** Loads the admin client TLS material of a plane. */
export function loadAdminTls(pki: Pick<Pki, 'caCert' | 'client'>): ClientTls {
  const admin = pki.client('admin');
  return loadClientTls({ ca: pki.caCert, cert: admin.cert, key: admin.key });
}

async function writeKubeconfigs(layout: ClusterLayout, pki: Pki, server: string): Promise<void> {
  const base = { server, caCert: pki.caCert };
  const admin = pki.client('admin');
  await writeKubeconfig(layout.kubeconfigPath, { ...base, clientCert: admin.cert, clientKey: admin.key, user: 'pxl-admin' });
  for (const name of ['kube-controller-manager', 'kube-scheduler'] as const) {
    const client = pki.client(name);
    await writeKubeconfig(componentKubeconfig(layout, name), { ...base, clientCert: client.cert, clientKey: client.key, user: name });
  }
}

/** Starts the node agent when it has been built, then waits for its Nodes to be Ready; without it, warns and returns. */
export async function startNodeAgent(options: StartOptions, apiServerUrl: string, tls: ClientTls): Promise<void> {
  const { layout, nodes, report } = options;
  if (nodes === 0) return;
  try {
    await access(nodeAgentEntry(layout));
  } catch {
    report(`cluster: warning: node agent not built (${showPath(nodeAgentEntry(layout))} missing); Pods will stay Pending`);
    return;
  }
  const spec = buildNodeAgentSpec(layout, nodes);
  await mkdir(layout.agentStateDir, { recursive: true });
  const proc = await startDetached({
    command: spec.command, args: spec.args, cwd: layout.repoRoot, env: options.env,
    logPath: logFilePath(layout, 'node-agent'), pidPath: pidFilePath(layout, 'node-agent'),
  });
  report(`cluster: started node-agent (pid ${String(proc.pid)}), waiting for ${String(nodes)} Ready nodes`);
  await waitReady(layout, 'node-agent', proc, `ready with ${String(nodes)} Ready nodes`, async () => (await countReadyNodes(apiServerUrl, tls)) >= nodes);
}

// Each plane gets fresh logs; the previous plane's stay beside them for a post-mortem.
async function rotateLogs(layout: ClusterLayout): Promise<void> {
  for (const name of componentNames) {
    const log = logFilePath(layout, name);
    await rename(log, log.replace(/\.log$/, '.previous.log')).catch(() => undefined);
  }
}

/** Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the node agent from a clean slate; the caller stops them on failure. */
export async function startPlane(options: StartOptions): Promise<PlaneState> {
  const { layout, binDir, env, report } = options;
  await Promise.all([layout.logsDir, layout.runDir].map((d) => mkdir(d, { recursive: true })));
  // A new plane starts from an empty store: Pods recorded by an earlier plane have no processes any more.
  await rm(layout.etcdDir, { recursive: true, force: true });
  await rm(layout.agentStateDir, { recursive: true, force: true });
  await rotateLogs(layout);
  const pki = await ensurePki(layout.pkiDir, firstServiceIp);
  const ports = await choosePorts(env);
  const apiServerUrl = `https://127.0.0.1:${String(ports.apiserver)}`;
  const state: PlaneState = { startedAt: new Date().toISOString(), binDir, apiServerUrl, ports, nodes: options.nodes };
  await writePlaneState(layout, state);
  await writeKubeconfigs(layout, pki, apiServerUrl);
  const tls = loadAdminTls(pki);

  const specs = buildControlPlaneSpecs({ layout, binDir, pki, ports, env });
  for (const spec of specs) await assertBinary(spec);
  for (const spec of specs) {
    const started = Date.now();
    const proc = await startDetached({
      command: spec.command, args: spec.args, cwd: layout.dir, env,
      logPath: logFilePath(layout, spec.name), pidPath: pidFilePath(layout, spec.name),
    });
    await waitReady(layout, spec.name, proc, 'healthy', () => answersOk(spec.healthUrl, tls));
    report(`cluster: ${spec.name} healthy (pid ${String(proc.pid)}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  // The service-account controllers are the sign that the controller-manager really works.
  const defaultSa = `${apiServerUrl}/api/v1/namespaces/default/serviceaccounts/default`;
  const saReady = await pollUntil(async () => ({ done: await answersOk(defaultSa, tls) }), 60_000);
  if (!saReady) throw await timedOut(layout, 'kube-controller-manager', 'able to create the default ServiceAccount');
  await startNodeAgent(options, apiServerUrl, tls);
  return state;
}
