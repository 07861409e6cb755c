import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import type { ClusterOptions } from './cluster.js';
import { buildApiServerSpec, firstServiceIp } from './components.js';
import { ClusterError } from './errors.js';
import { isHealthy, pollUntil, type ClientTls } from './health.js';
import { resolveLayout, type ClusterLayout } from './layout.js';
import { ensurePki } from './pki.js';
import { logFilePath, pidFilePath, readPlaneState, withPlaneLock, type PlaneState } from './plane-state.js';
import { readPidFile, startDetached } from './processes.js';
import { assertBinary, countReadyNodes, loadAdminTls, waitReady } from './start.js';
import { stopComponent } from './stop.js';

/** What one `restartApiServer` did and how long the API was unavailable. */
export interface ApiServerRestart {
  readonly oldPid: number | undefined;
  readonly newPid: number;
  /** From the SIGTERM until the old process was gone. */
  readonly stopMs: number;
  /** From the SIGTERM until the new process answered `/readyz`. */
  readonly outageMs: number;
  /** From the SIGTERM until the controller-manager served a new namespace's ServiceAccount and the nodes were Ready. */
  readonly settledMs: number;
}

// The apiserver stops listening within milliseconds of SIGTERM but then drains open watch streams for up
// to its request timeout; clients already see it gone, so waiting longer only lengthens the outage.
const stopGraceMs = 2000;

// client-go clients resume their watches with a back-off that grows across outages (up to a minute after
// several restarts in a row); tests that follow need a working controller-manager, not just /readyz.
const settleTimeoutMs = 180_000;

async function runKubectl(layout: ClusterLayout, state: PlaneState, args: readonly string[]): Promise<void> {
  const result = await execa(path.join(state.binDir, 'kubectl'), ['--kubeconfig', layout.kubeconfigPath, ...args], { reject: false, all: true, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new ClusterError(`kubectl ${args.join(' ')} failed after the apiserver restart: ${result.all.trim()}`);
}

/** Waits until a fresh namespace gets its `default` ServiceAccount (the controller-manager's watches are back) and every node is Ready. */
async function waitForControllers(layout: ClusterLayout, state: PlaneState, tls: ClientTls): Promise<void> {
  const probe = `pxl-restart-probe-${randomBytes(4).toString('hex')}`;
  await runKubectl(layout, state, ['create', 'namespace', probe]);
  try {
    const served = await pollUntil(async () => ({ done: await isHealthy(`${state.apiServerUrl}/api/v1/namespaces/${probe}/serviceaccounts/default`, tls) }), settleTimeoutMs, 500);
    if (!served) throw new ClusterError(`the controller-manager did not create the default ServiceAccount of ${probe} within ${String(settleTimeoutMs / 1000)} s of the apiserver restart; run \`npm run cluster -- down\` and \`up\``);
  } finally {
    await runKubectl(layout, state, ['delete', 'namespace', probe, '--wait=false']);
  }
  const nodesReady = await pollUntil(async () => ({ done: (await countReadyNodes(state.apiServerUrl, tls)) >= state.nodes }), settleTimeoutMs, 500);
  if (!nodesReady) throw new ClusterError(`fewer than ${String(state.nodes)} nodes are Ready ${String(settleTimeoutMs / 1000)} s after the apiserver restart; see ${layout.logsDir}/node-agent.log`);
}

function noop(): void {
  // Quiet by default: a test reports the figures it needs from the returned record.
}

/**
 * Stops the running plane's kube-apiserver (SIGTERM, SIGKILL after 2 s) and starts it again with the same flags, ports and certificates
 * (rebuilt from `run/state.json`), then waits for `/readyz` and for the controller-manager and nodes to work again;
 * etcd keeps every object, and the kubeconfigs stay valid.
 * When the new process fails to become ready the plane is left without an apiserver; the next `up` replaces it.
 */
export async function restartApiServer(options: ClusterOptions = {}): Promise<ApiServerRestart> {
  const env = options.env ?? process.env;
  const report = options.report ?? noop;
  const layout = resolveLayout(env);
  return withPlaneLock(layout, report, async () => {
    const state = await readPlaneState(layout);
    if (state === undefined) throw new ClusterError(`no running plane is recorded in ${layout.statePath}; run \`npm run cluster -- up\` first`);
    // The PKI is complete while a plane runs, so this only names the existing files.
    const pki = await ensurePki(layout.pkiDir, firstServiceIp);
    const spec = buildApiServerSpec({ layout, binDir: state.binDir, pki, ports: state.ports, env });
    await assertBinary(spec);
    const pidPath = pidFilePath(layout, 'kube-apiserver');
    const oldPid = await readPidFile(pidPath);

    const started = Date.now();
    await stopComponent(layout, 'kube-apiserver', report, stopGraceMs);
    const stopMs = Date.now() - started;
    const proc = await startDetached({ command: spec.command, args: spec.args, cwd: layout.dir, env, logPath: logFilePath(layout, 'kube-apiserver'), pidPath });
    const tls = loadAdminTls(pki);
    await waitReady(layout, 'kube-apiserver', proc, 'ready again', () => isHealthy(spec.healthUrl, tls));
    const outageMs = Date.now() - started;
    await waitForControllers(layout, state, tls);
    const settledMs = Date.now() - started;
    const seconds = (ms: number): string => (ms / 1000).toFixed(1);
    report(`cluster: kube-apiserver restarted (pid ${String(proc.pid)}, ${seconds(outageMs)} s without an API server, controllers working after ${seconds(settledMs)} s)`);
    return { oldPid, newPid: proc.pid, stopMs, outageMs, settledMs };
  });
}
