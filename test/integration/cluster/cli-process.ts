import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../../cluster/layout.js';

/** The outcome of one `npm run cluster` command, run as its compiled CLI. */
export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/test/cluster/cli.js …args` with extra environment variables. */
export async function runClusterCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [path.join(repoRoot, 'dist', 'test', 'cluster', 'cli.js'), ...args], {
    cwd: repoRoot, env: { ...process.env, ...env }, extendEnv: false, reject: false, timeout: 300_000, stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Pids of live processes whose command line mentions `marker` (a plane's directory), excluding this one. */
export async function findProcessesMentioning(marker: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number).filter((p) => p !== process.pid);
  const found: number[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${String(pid)}/cmdline`, 'utf8').catch(() => '');
    const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8').catch(() => '');
    const zombie = / Z /.test(stat.slice(stat.lastIndexOf(')')));
    if (!zombie && cmdline.includes(marker)) found.push(pid);
  }
  return found;
}
