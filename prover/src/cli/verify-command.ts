// `pxl verify FILE…`: checks ProofRequest manifests with an embedded engine and prints a table.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine } from '../check/engine.js';
import { backends, type Backend, type CheckEngine } from '../check/types.js';
import { ArgumentError } from '../config.js';
import { compileValidators } from '../http/schemas.js';
import { Prover } from '../prove/prover.js';
import { readManifests, type ManifestEntry } from './manifests.js';
import { formatTable } from './table.js';

/** The usage text of `pxl verify`. */
export const verifyUsage = `Usage: pxl verify [--backend auto|serapi|coqidetop|coqc] [--sessions N] [--kernel-dir DIR] [--expected-hash sha256:H] FILE...
  Checks every ProofRequest in the YAML files with an embedded prover (no cluster) and
  exits 0 only when all of them are Proved.
`;

interface Row {
  readonly name: string;
  readonly phase: string;
  readonly reason: string;
  readonly durationMs?: number;
  readonly message: string;
}

/** Runs `pxl verify`; returns the exit code (0 all Proved, 1 otherwise). */
export async function runVerify(argv: readonly string[], write: (text: string) => void): Promise<number> {
  const { values, positionals } = parseVerifyArgs(argv);
  const validators = compileValidators(600_000);
  const entries: ManifestEntry[] = [];
  for (const file of positionals) {
    try {
      entries.push(...(await readManifests(file, validators)));
    } catch (error) {
      throw new ArgumentError(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))}`, { cause: error });
    }
  }
  if (entries.length === 0) throw new ArgumentError('no ProofRequest found in the given files');
  const checkable = entries.filter((entry) => entry.ok).length;
  const sessions = values.sessions ?? Math.max(1, Math.min(availableParallelism(), checkable));
  // Nothing checkable (every manifest malformed): no Coq process is needed to say so.
  if (checkable === 0) return printRows(entries.map(describeInvalid), write);
  // A private scratch directory: the compiled kernel and untrusted units go away with this run.
  const scratchDir = await mkdtemp(path.join(process.env.TMPDIR ?? tmpdir(), 'pxl-verify-'));
  try {
    const engine = await startEngine({
      backend: values.backend,
      sessions,
      scratchDir,
      ...(values.kernelDir === undefined ? {} : { kernelDir: values.kernelDir }),
      ...(values.expectedHash === undefined ? {} : { expectedHash: values.expectedHash }),
    });
    try {
      return printRows(await checkAll(engine, sessions, entries), write);
    } finally {
      await engine.close();
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

function printRows(rows: readonly Row[], write: (text: string) => void): number {
  write(formatTable(['NAME', 'PHASE', 'REASON', 'DURATION'], rows.map((row) => [row.name, row.phase, row.reason, row.durationMs === undefined ? '-' : `${row.durationMs}ms`])));
  for (const row of rows) if (row.phase !== 'Proved') write(`${row.name}: ${row.message}\n`);
  return rows.every((row) => row.phase === 'Proved') ? 0 : 1;
}

function describeInvalid(entry: ManifestEntry): Row {
  return { name: entry.name, phase: 'Rejected', reason: 'InvalidManifest', message: entry.ok ? 'not checked' : entry.message };
}

async function checkAll(engine: CheckEngine, sessions: number, entries: readonly ManifestEntry[]): Promise<Row[]> {
  const readiness = engine.readiness();
  if (!readiness.ready) {
    const reason = `the embedded prover is not ready: ${readiness.reason ?? 'unknown reason'}`;
    return entries.map((entry) => ({ name: entry.name, phase: 'Error', reason: 'NotReady', message: reason }));
  }
  // Every request is admitted at once: the queue holds them all and the gate runs `sessions` at a time.
  const prover = new Prover({ engine, sessions, queue: entries.length, cacheSize: entries.length, defaultTimeoutMs: 30_000, proverName: hostname() });
  return Promise.all(
    entries.map(async (entry): Promise<Row> => {
      if (!entry.ok) return describeInvalid(entry);
      const result = await prover.prove(entry.request);
      return { name: entry.name, phase: result.verdict, reason: result.reason, durationMs: result.durationMs, message: [result.message, ...result.messages].join('\n  ') };
    }),
  );
}

function parseVerifyArgs(argv: readonly string[]): { values: { backend: Backend | 'auto'; sessions?: number; kernelDir?: string; expectedHash?: string }; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { backend: { type: 'string' }, sessions: { type: 'string' }, 'kernel-dir': { type: 'string' }, 'expected-hash': { type: 'string' } },
    });
  } catch (error) {
    throw new ArgumentError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new ArgumentError('pxl verify needs at least one FILE');
  const backend = [...backends, 'auto' as const].find((name) => name === (values.backend ?? 'auto'));
  if (backend === undefined) throw new ArgumentError(`--backend must be one of auto, ${backends.join(', ')}`);
  const sessions = values.sessions === undefined ? undefined : Number(values.sessions);
  if (sessions !== undefined && (!Number.isInteger(sessions) || sessions < 1 || sessions > 64)) throw new ArgumentError('--sessions must be an integer from 1 to 64');
  return {
    values: {
      backend,
      ...(sessions === undefined ? {} : { sessions }),
      ...(values['kernel-dir'] === undefined ? {} : { kernelDir: values['kernel-dir'] }),
      ...(values['expected-hash'] === undefined ? {} : { expectedHash: values['expected-hash'] }),
    },
    positionals,
  };
}
