import { closeSync, openSync, readFileSync } from 'node:fs';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { ClusterError } from './errors.js';

/** A process started by `startDetached`; `exit` settles when it ends while this Node process still watches it. */
export interface DetachedProcess {
  readonly pid: number;
  readonly exit: Promise<{ code: number | undefined; signal: string | undefined }>;
  readonly hasExited: () => boolean;
}

/** What to start. */
export interface StartSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly logPath: string;
  readonly pidPath: string;
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts a process in its own session and process group, output appended to its log, so it outlives the caller. */
export async function startDetached(spec: StartSpec): Promise<DetachedProcess> {
  await appendFile(spec.logPath, `=== ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
  let exited = false;
  // The log's file descriptor goes to the child itself; execa's `{file}` form would pipe through this
  // process and break when it exits. execa's types list only descriptors 3-9, its runtime takes any.
  const fd = openSync(spec.logPath, 'a') as 3;
  try {
    return await spawnDetached(spec, fd, () => { exited = true; }, () => exited);
  } finally {
    closeSync(fd);
  }
}

async function spawnDetached(spec: StartSpec, log: 3, onExit: () => void, hasExited: () => boolean): Promise<DetachedProcess> {
  const child = execa(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: log,
    stderr: log,
  });
  const exit = child.then((r) => {
    onExit();
    return { code: r.exitCode, signal: r.signal };
  });
  if (child.pid === undefined) {
    const result = await child;
    throw new ClusterError(`cannot start ${spec.command}: ${result.shortMessage}; check that the binary exists and is executable`, { cause: result.cause });
  }
  child.unref();
  await writeFile(spec.pidPath, `${String(child.pid)}\n`);
  return { pid: child.pid, exit, hasExited };
}

/** Reads a pid file; undefined when it is absent or unreadable. */
export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function readProc(pid: number, entry: string): Promise<string | undefined> {
  try {
    return await readFile(`/proc/${String(pid)}/${entry}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** True when `pid` is a live (not zombie) process whose command line contains `commandPart` — so a reused pid is never mistaken for ours. */
export async function isOurProcess(pid: number, commandPart: string): Promise<boolean> {
  const stat = await readProc(pid, 'stat');
  if (stat === undefined) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return false;
  const cmdline = await readProc(pid, 'cmdline');
  return cmdline !== undefined && cmdline.split('\0').some((arg) => arg.includes(commandPart));
}

/** The resident set size of `pid` in bytes, or undefined when it is gone. */
export async function readRssBytes(pid: number): Promise<number | undefined> {
  const status = await readProc(pid, 'status');
  const match = status === undefined ? null : /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function isLeaderRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends SIGTERM to the process group led by `pid`, waits up to `graceMs` for the leader to exit,
 * then SIGKILLs what is left of the group. A zombie leader counts as exited: when init is slow to
 * reap orphans the group would otherwise look alive for seconds.
 */
export async function stopGroup(pid: number, graceMs: number): Promise<'terminated' | 'killed'> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let outcome: 'terminated' | 'killed' = 'killed';
  while (Date.now() < deadline) {
    if (!isLeaderRunning(pid)) {
      outcome = 'terminated';
      break;
    }
    await sleep(100);
  }
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 50 && isLeaderRunning(pid); i++) await sleep(100);
  return outcome;
}

/** The last `count` non-empty lines of a log file, for error messages. */
export async function readLogTail(file: string, count: number): Promise<string[]> {
  try {
    const text = await readFile(file, 'utf8');
    return text.split('\n').filter((l) => l.trim() !== '').slice(-count);
  } catch {
    return [];
  }
}

/** Removes a pid file, ignoring its absence. */
export async function removePidFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
