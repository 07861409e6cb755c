// Starting Coq processes under a memory cap in their own process group, and ending them with the group.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Limits applied to every Coq process. */
export interface ProcessLimits {
  /** Address-space cap (RLIMIT_AS) in KiB, applied with `ulimit -v` before exec. */
  readonly memoryKiB: number;
  /** CPU-time cap (RLIMIT_CPU) in seconds: a backstop that ends a runaway Coq even if this process dies first. */
  readonly cpuSeconds?: number;
}

/**
 * CPU seconds a warm session may use in its life: a session left looping after the engine died ends within the
 * hour; a busy session that reaches it dies and is replaced like any crashed one.
 */
export const sessionCpuSeconds = 3600;

/** Default limits: 4 GiB of address space per Coq process. */
export const defaultProcessLimits: ProcessLimits = { memoryKiB: 4 * 1024 * 1024 };

/** Spawns a program through `sh -c 'ulimit -v N; exec "$0" "$@"'` as the leader of a new process group. */
export function spawnLimited(program: string, args: readonly string[], cwd: string, limits: ProcessLimits): ChildProcessWithoutNullStreams {
  const memory = Math.max(65536, Math.floor(limits.memoryKiB));
  const cpu = limits.cpuSeconds === undefined ? '' : `ulimit -t ${Math.max(1, Math.ceil(limits.cpuSeconds))} || exit 97; `;
  // The program and its arguments are passed as positional parameters, never spliced into the script.
  return spawn('/bin/sh', ['-c', `ulimit -v ${memory} || exit 97; ${cpu}exec "$0" "$@"`, program, ...args], {
    cwd,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, LANG: 'C.UTF-8' },
  });
}

/** Kills a process and its whole group with SIGKILL; safe to call on one that has exited. */
export function killGroup(child: { readonly pid?: number | undefined }): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone: nothing left to kill.
  }
}

/** Resident set size of a process in KiB from /proc, or undefined when it cannot be read. */
export async function readRssKiB(pid: number): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** What a batch run of a program produced. */
export interface BatchResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

const outputCap = 1024 * 1024;

/** Runs a program to completion under the memory cap and a wall-clock limit, killing its group on timeout. */
export function runLimited(program: string, args: readonly string[], cwd: string, limits: ProcessLimits, timeoutMs: number): Promise<BatchResult> {
  return new Promise((resolve) => {
    // CPU time can never exceed wall time, so this cap only matters if nobody is left to enforce the timeout.
    const child = spawnLimited(program, args, cwd, { ...limits, cpuSeconds: timeoutMs / 1000 + 2 });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    // Keep at most 1 MiB of each stream; a hostile proof may print without end.
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < outputCap) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < outputCap) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + String(error), timedOut });
    });
  });
}
