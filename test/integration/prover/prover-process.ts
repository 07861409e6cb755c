// Starts the real `pxl-prover` binary on 127.0.0.1:0 for a test file and stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/test/integration/prover/. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A running prover process. */
export interface ProverProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every JSON log line the process printed so far. */
  readonly logs: Record<string, unknown>[];
  /** A scratch directory removed on stop. */
  readonly dir: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `pxl-prover` with extra flags, waits until it listens and, unless told otherwise, until /ready answers 200. */
export async function startProver(flags: readonly string[], options: { waitReady?: boolean; dir?: string } = {}): Promise<ProverProcess> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'pxl-prover-it-')));
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/pxl-prover.js'), '--listen', '127.0.0.1:0', '--scratch-dir', dir, ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: dir },
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(record);
      const address = record.address as { port?: number } | undefined;
      if (record.msg === 'listening' && address?.port !== undefined) resolve(`http://127.0.0.1:${address.port}`);
    });
    child.once('exit', (code) => { reject(new Error(`pxl-prover exited with ${code}: ${stderr}`)); });
  });
  const url = await listening;
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
    return child.exitCode;
  };
  if (options.waitReady !== false) await waitUntil(async () => (await fetch(`${url}/ready`)).status === 200, 90_000, `${url}/ready`);
  return { url, child, logs, dir, stop };
}

/** Polls `condition` every 100 ms until it holds or `timeoutMs` passes. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Posts JSON (or raw bytes) and returns the status, headers and parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const payload = Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> };
}
