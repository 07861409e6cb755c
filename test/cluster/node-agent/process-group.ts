import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** How a process ended: an exit code, or the signal that killed it (mapped to 128 + n like a shell). */
export interface ProcessExit {
  readonly exitCode: number;
  readonly signal: NodeJS.Signals | undefined;
  readonly finishedAt: Date;
}

/** A container process started by the agent, leader of its own process group. */
export interface StartedProcess {
  readonly pid: number;
  /** The kernel's start time of the process, so a recycled pid is never mistaken for ours. */
  readonly startTicks: string;
  readonly startedAt: Date;
  readonly exited: Promise<ProcessExit>;
}

/** What to start. */
export interface ProcessSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logPath: string;
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };

/** Reads a process's start time (field 22 of /proc/<pid>/stat), or undefined when it is gone. */
export function readStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** Whether the process we started (pid and start time) is still alive. */
export function isSameProcessAlive(pid: number, startTicks: string): boolean {
  return readStartTicks(pid) === startTicks;
}

/** Starts a process in its own process group with stdout and stderr appended to its log file. */
export function startProcess(spec: ProcessSpec): Promise<StartedProcess> {
  const log = openSync(spec.logPath, 'a');
  try {
    const child = spawn(spec.file, spec.args, {
      cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', log, log],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        const pid = child.pid ?? 0;
        const exited = new Promise<ProcessExit>((resolveExit) => {
          child.once('exit', (code, signal) => {
            const exitCode = code ?? 128 + (signal === null ? 0 : signalNumbers[signal] ?? 0);
            resolveExit({ exitCode, signal: signal ?? undefined, finishedAt: new Date() });
          });
        });
        resolve({ pid, startTicks: readStartTicks(pid) ?? '', startedAt: new Date(), exited });
      });
    });
  } finally {
    closeSync(log);
  }
}

/** Sends a signal to a whole process group; false when the group no longer exists. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group is still alive. */
export function isGroupAlive(pid: number): boolean {
  return signalGroup(pid, 0);
}
