import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentName, PlanePorts } from './components.js';
import { ClusterError } from './errors.js';
import type { ClusterLayout } from './layout.js';

/** What `up` records about the plane it started, in `.cache/cluster/run/state.json`. */
export interface PlaneState {
  readonly startedAt: string;
  readonly binDir: string;
  readonly apiServerUrl: string;
  readonly ports: PlanePorts;
  readonly nodes: number;
}

/** The pid file of one component. */
export function pidFilePath(layout: ClusterLayout, name: ComponentName): string {
  return path.join(layout.runDir, `${name}.pid`);
}

/** The log file of one component. */
export function logFilePath(layout: ClusterLayout, name: ComponentName): string {
  return path.join(layout.logsDir, `${name}.log`);
}

/** Reads the recorded state; undefined when no plane was started or the file is unreadable. */
export async function readPlaneState(layout: ClusterLayout): Promise<PlaneState | undefined> {
  try {
    return JSON.parse(await readFile(layout.statePath, 'utf8')) as PlaneState;
  } catch {
    return undefined;
  }
}

/** Records the state of a plane being started. */
export async function writePlaneState(layout: ClusterLayout, state: PlaneState): Promise<void> {
  await writeFile(layout.statePath, `${JSON.stringify(state, null, 2)}\n`);
}

/** Forgets the recorded state. */
export async function removePlaneState(layout: ClusterLayout): Promise<void> {
  await rm(layout.statePath, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryLock(lockPath: string): Promise<number | undefined> {
  try {
    await writeFile(lockPath, String(process.pid), { flag: 'wx' });
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return holder;
  // The holder died (a crash or Ctrl-C): the lock is stale.
  await rm(lockPath, { force: true });
  return tryLock(lockPath);
}

/** Runs `work` while holding the plane's lock, so concurrent `up`/`down` (two test runs, CLI and tests) never interleave. */
export async function withPlaneLock<T>(layout: ClusterLayout, report: (line: string) => void, work: () => Promise<T>): Promise<T> {
  await mkdir(layout.runDir, { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  let announced = false;
  for (;;) {
    const holder = await tryLock(layout.lockPath);
    if (holder === undefined) break;
    if (holder === process.pid) throw new ClusterError('the control-plane lock is already held by this process (nested up/down)');
    if (!announced) report(`cluster: waiting for another up/down (pid ${String(holder)}) to finish`);
    announced = true;
    if (Date.now() > deadline) {
      throw new ClusterError(`another up/down (pid ${String(holder)}) has held ${layout.lockPath} for 30 minutes; stop it or remove the lock file`);
    }
    await sleep(500);
  }
  try {
    return await work();
  } finally {
    await rm(layout.lockPath, { force: true });
  }
}
