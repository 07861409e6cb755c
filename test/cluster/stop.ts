import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { componentNames, nodeAgentEntry, type ComponentName } from './components.js';
import type { ClusterLayout } from './layout.js';
import { pidFilePath, removePlaneState } from './plane-state.js';
import { isOurProcess, readPidFile, removePidFile, stopGroup } from './processes.js';

// The agent needs time to stop its pods' processes; the apiserver drains its watches.
const graceMs: Record<ComponentName, number> = {
  etcd: 5000, 'kube-apiserver': 10_000, 'kube-controller-manager': 5000, 'kube-scheduler': 5000, 'node-agent': 15_000,
};

/** The marker every process of this plane carries in its command line: a path below the plane's directory. */
export function planeMarker(layout: ClusterLayout): string {
  return `${layout.dir}/`;
}

/** Stops one component if its pid file names a live process of this plane (SIGKILL after `grace` ms); removes the pid file either way. */
export async function stopComponent(layout: ClusterLayout, name: ComponentName, report: (line: string) => void, grace = graceMs[name]): Promise<void> {
  const pidFile = pidFilePath(layout, name);
  const pid = await readPidFile(pidFile);
  if (pid === undefined) return;
  if (await isOurProcess(pid, planeMarker(layout))) {
    const started = Date.now();
    const how = await stopGroup(pid, grace);
    const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    report(`cluster: stopped ${name} (pid ${String(pid)}, ${how === 'killed' ? `killed after the ${took} grace period` : took})`);
  } else {
    report(`cluster: removed the stale pid file of ${name} (pid ${String(pid)} is not running)`);
  }
  await removePidFile(pidFile);
}

const componentBinaries = new Set<string>(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

// Pod processes live in their own process groups; if the agent died without stopping them they are
// found by the HOME below the agent's state directory that the agent gives every container.
async function findOrphans(layout: ClusterLayout): Promise<number[]> {
  const own = new Set([process.pid, process.ppid]);
  const homeMarker = `HOME=${layout.agentStateDir}/`;
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number).filter((p) => !own.has(p));
  const found: number[] = [];
  for (const pid of pids) {
    const environ = await readText(`/proc/${String(pid)}/environ`);
    const argv = (await readText(`/proc/${String(pid)}/cmdline`)).split('\0');
    const isComponent = componentBinaries.has(path.basename(argv[0] ?? '')) || argv.includes(nodeAgentEntry(layout));
    const isOurs = isComponent && argv.some((a) => a.includes(planeMarker(layout)));
    if (isOurs || environ.split('\0').some((v) => v.startsWith(homeMarker))) found.push(pid);
  }
  return found;
}

/** Stops every process `up` started (node agent first), cleans stale pid files, and forgets the plane's state. */
export async function stopPlane(layout: ClusterLayout, report: (line: string) => void): Promise<void> {
  for (const name of [...componentNames].reverse()) await stopComponent(layout, name, report);
  for (const pid of await findOrphans(layout)) {
    await stopGroup(pid, 3000);
    report(`cluster: stopped leftover process ${String(pid)} of this plane`);
  }
  await removePlaneState(layout);
  await rm(layout.kubeconfigPath, { force: true });
}
