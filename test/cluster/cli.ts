import { rm } from 'node:fs/promises';
import { ensureBinaries } from './build.js';
import { ensureCluster, readClusterStatus, stopCluster, type ClusterStatus } from './cluster.js';
import { ClusterError } from './errors.js';
import { resolveLayout, showPath } from './layout.js';
import { stopPlane } from './stop.js';

const usage = 'usage: npm run cluster -- up|down|status|build';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function formatStatus(status: ClusterStatus): string[] {
  const lines = status.components.map((c) => {
    const rss = c.rssBytes === undefined ? '' : `  rss ${String(Math.round(c.rssBytes / 2 ** 20))} MiB`;
    const pid = c.pid === undefined ? '' : `  pid ${String(c.pid)}`;
    const note = c.state === 'stale' ? '  (stale pid file: run `npm run cluster -- down`)' : '';
    return `${c.name.padEnd(24)} ${c.state.padEnd(8)}${pid}${rss}${note}`;
  });
  if (status.plane !== undefined) {
    lines.push(`${'apiserver'.padEnd(24)} ${status.ready ? 'ready' : 'not ready'}  ${status.plane.apiServerUrl}`);
    lines.push(`${'nodes'.padEnd(24)} ${String(status.readyNodes)}/${String(status.plane.nodes)} Ready`);
    lines.push(`${'kubeconfig'.padEnd(24)} ${showPath(status.layout.kubeconfigPath)}`);
  }
  return lines;
}

// Exit codes: 0 all running and ready, 3 stopped (as LSB init scripts do), 1 partly running or unhealthy.
function statusExitCode(status: ClusterStatus): number {
  if (status.components.every((c) => c.state !== 'running')) return 3;
  // The node agent is optional (not built yet, or PXL_CLUSTER_NODES=0), but one that died counts.
  const healthy = status.components.every((c) => c.state === 'running' || (c.name === 'node-agent' && c.state === 'stopped'));
  return status.ready && healthy ? 0 : 1;
}

// Ctrl-C during `up` must not leave half a plane running: stop what was started, then exit.
function stopOnInterrupt(): void {
  const stop = (signal: NodeJS.Signals): void => {
    print(`cluster: ${signal} received, stopping what was started`);
    const layout = resolveLayout();
    void stopPlane(layout, print).finally(() => {
      void rm(layout.lockPath, { force: true }).finally(() => process.exit(130));
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function run(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      stopOnInterrupt();
      const handle = await ensureCluster({ report: print });
      print(`export KUBECONFIG=${handle.kubeconfigPath}`);
      return 0;
    }
    case 'down':
      await stopCluster({ report: print });
      print('cluster: down');
      return 0;
    case 'status': {
      const status = await readClusterStatus();
      for (const line of formatStatus(status)) print(line);
      return statusExitCode(status);
    }
    case 'build': {
      const result = await ensureBinaries({ layout: resolveLayout(), report: print });
      print(`cluster: binaries in ${showPath(result.binDir)} (${result.source})`);
      return 0;
    }
    default:
      process.stderr.write(`${usage}\n`);
      return 2;
  }
}

try {
  process.exitCode = await run(process.argv[2]);
} catch (error) {
  if (error instanceof ClusterError) {
    process.stderr.write(`error: ${error.message}\n`);
    for (const line of error.details) process.stderr.write(`  | ${line}\n`);
  } else {
    process.stderr.write(`error: unexpected failure of the cluster command: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
}
