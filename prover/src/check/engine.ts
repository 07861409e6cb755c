// The checking engine: kernel, gate, warm sessions or coqc, and the outcome of every check.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createUnit, publishUnit, removeUnit, untrustedLogicalPath, type CoqcOptions } from '../coq/coqc.js';
import { CoqIdeTopSession } from '../coq/coqidetop.js';
import { chooseBackend, findProgram } from '../coq/discover.js';
import { SessionPool, type RestartReason } from '../coq/pool.js';
import { defaultProcessLimits } from '../coq/process.js';
import { SerApiSession } from '../coq/serapi.js';
import type { ProtocolSession, SessionConfig } from '../coq/session.js';
import { compileKernel, KernelError, type CompiledKernel } from '../kernel/compile.js';
import { hashKernelDir } from '../kernel/hash.js';
import { builtinKernelDir } from '../kernel/compile.js';
import { runBatchCheck } from './batch-check.js';
import { EngineBusyError, Gate } from './gate.js';
import { toOutcome, type Conclusion } from './outcome.js';
import { screenRequest } from './screen-request.js';
import { runSessionCheck } from './session-check.js';
import { compileUntrustedSource } from './source-compile.js';
import type { Backend, CheckEngine, CheckOutcome, CheckRequest, EngineOptions, EngineReadiness } from './types.js';

const run = promisify(execFile);

/** Raised by startEngine when no Coq backend can be found at all. */
export class EngineStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EngineStartError';
  }
}

/** Defaults for the limits that EngineOptions leaves open. */
export const engineDefaults = {
  memoryKiB: 4 * 1024 * 1024,
  recycleAfterChecks: 500,
  maxRssKiB: 1536 * 1024,
  queuePerSession: 8,
  maxTimeoutMs: 600_000,
  sessionStartTimeoutMs: 60_000,
  killGraceMs: 250,
} as const;

/** The number of sessions (or concurrent coqc checks): at least one, whatever the option holds. */
function sessionCount(options: EngineOptions): number {
  return Number.isFinite(options.sessions) ? Math.max(1, Math.floor(options.sessions)) : 1;
}

/** Reads the Coq version from `coqc --version`. */
async function readCoqVersion(): Promise<string> {
  try {
    const { stdout } = await run('coqc', ['--version']);
    return /version ([\w.+~-]+)/.exec(stdout)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Prepares the kernel: a hash mismatch or a rejected kernel leaves the engine not ready (fail closed). */
async function prepareKernel(options: EngineOptions): Promise<{ kernel?: CompiledKernel; hash: string; problem?: { reason: string; message: string } }> {
  const hash = await hashKernelDir(options.kernelDir ?? builtinKernelDir());
  if (options.expectedHash !== undefined && options.expectedHash !== hash) {
    return { hash, problem: { reason: 'KernelHashMismatch', message: `kernel hash ${hash} is not the expected ${options.expectedHash}` } };
  }
  try {
    return { hash, kernel: await compileKernel({ kernelDir: options.kernelDir, scratchDir: options.scratchDir }) };
  } catch (error) {
    if (error instanceof KernelError) return { hash, problem: { reason: error.reason, message: error.message } };
    throw error;
  }
}

/** Starts the checking engine: compiles the kernel in the scratch directory and warms the sessions. */
export async function startEngine(options: EngineOptions): Promise<CheckEngine> {
  await mkdir(options.scratchDir, { recursive: true });
  const chosen = await chooseBackend(options.backend);
  if (chosen === undefined) throw new EngineStartError(`no Coq program found on PATH for backend ${options.backend}`);
  const coqcProgram = await findProgram(['coqc']);
  if (coqcProgram === undefined) throw new EngineStartError('coqc is not on PATH; it compiles the kernel and untrusted sources');
  const prepared = await prepareKernel(options);
  const engine = new Engine(options, chosen.backend, chosen.program, coqcProgram, prepared.hash, await readCoqVersion());
  await engine.open(prepared.kernel, prepared.problem);
  return engine;
}

/** The engine behind startEngine. */
class Engine implements CheckEngine {
  private kernel: CompiledKernel | undefined;
  private problem: { reason: string; message: string } | undefined;
  private pool: SessionPool | undefined;
  private readonly gate: Gate;
  private readonly untrustedRoot: string;
  private closed = false;
  /** Session restarts by reason, for metrics. */
  readonly restarts: Record<RestartReason, number> = { timeout: 0, crash: 0, recycle: 0, cancelled: 0 };

  constructor(
    private readonly options: EngineOptions,
    readonly backend: Backend,
    private readonly program: string,
    private readonly coqcProgram: string,
    readonly kernelHash: string,
    private readonly coqVersion: string,
  ) {
    const sessions = sessionCount(options);
    this.gate = new Gate(sessions, options.maxQueue ?? sessions * engineDefaults.queuePerSession);
    this.untrustedRoot = path.join(options.scratchDir, 'untrusted');
  }

  /** Takes the prepared kernel and starts the sessions. */
  async open(kernel: CompiledKernel | undefined, problem: { reason: string; message: string } | undefined): Promise<void> {
    this.kernel = kernel;
    this.problem = problem;
    await mkdir(this.untrustedRoot, { recursive: true });
    if (kernel === undefined || this.backend === 'coqc') return;
    const config: SessionConfig = {
      program: this.program,
      cwd: this.options.scratchDir,
      loadPaths: [[kernel.dir, 'PXLs'], [this.untrustedRoot, untrustedLogicalPath]],
      importSentence: kernel.importSentence,
      memoryKiB: this.options.memoryKiB ?? engineDefaults.memoryKiB,
      startTimeoutMs: engineDefaults.sessionStartTimeoutMs,
    };
    const backend = this.backend;
    this.pool = new SessionPool({
      size: sessionCount(this.options),
      start: (): Promise<ProtocolSession> => (backend === 'serapi' ? SerApiSession.start(config) : CoqIdeTopSession.start(config)),
      recycleAfterChecks: this.options.recycleAfterChecks ?? engineDefaults.recycleAfterChecks,
      maxRssKiB: engineDefaults.maxRssKiB,
      onRestart: (reason) => {
        this.restarts[reason] += 1;
      },
    });
    await this.pool.warm();
  }

  readiness(): EngineReadiness {
    if (this.closed) return { ready: false, reason: 'the engine is closed' };
    if (this.problem !== undefined) return { ready: false, reason: this.problem.message };
    if (this.pool !== undefined && this.pool.states().idle + this.pool.states().busy === 0) return { ready: false, reason: 'no warm Coq session yet' };
    return { ready: true };
  }

  sessionStates(): Readonly<Record<'idle' | 'busy' | 'starting', number>> {
    if (this.pool !== undefined) return this.pool.states();
    return { idle: 0, busy: 0, starting: 0 };
  }

  versions(): Readonly<Record<string, string>> {
    return { coq: this.coqVersion, backend: this.backend, backendProgram: this.program, kernelHash: this.kernelHash };
  }

  queueFull(): boolean {
    return this.gate.isFull();
  }

  queueDepth(): number {
    return this.gate.waiting;
  }

  sessionRestarts(): Readonly<Record<string, number>> {
    return { ...this.restarts };
  }

  async check(request: CheckRequest, signal?: AbortSignal): Promise<CheckOutcome> {
    const started = performance.now();
    let conclusion: Conclusion;
    try {
      conclusion = await this.decide(request, signal);
    } catch (error) {
      conclusion = { verdict: 'Error', reason: 'EngineError', message: `the engine failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    return toOutcome(conclusion, this.backend, Math.round(performance.now() - started));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.gate.close();
    await this.pool?.close();
  }

  private async decide(request: CheckRequest, signal: AbortSignal | undefined): Promise<Conclusion> {
    const rejected = screenRequest(request);
    if (rejected !== undefined) return rejected;
    if (this.closed) return { verdict: 'Error', reason: 'EngineClosed', message: 'the engine is closed' };
    if (this.problem !== undefined || this.kernel === undefined) {
      return { verdict: 'Error', reason: this.problem?.reason ?? 'KernelUnavailable', message: this.problem?.message ?? 'the kernel is not compiled' };
    }
    const timeoutMs = Math.min(engineDefaults.maxTimeoutMs, Math.max(1, Math.floor(Number.isFinite(request.timeoutMs) ? request.timeoutMs : 1)));
    try {
      await this.gate.enter(signal);
    } catch (error) {
      if (error instanceof EngineBusyError) return { verdict: 'Error', reason: 'Busy', message: error.message };
      return { verdict: 'Error', reason: 'Cancelled', message: error instanceof Error ? error.message : 'cancelled' };
    }
    try {
      return await this.checkAdmitted(this.kernel, request, timeoutMs, signal);
    } finally {
      this.gate.leave();
    }
  }

  private coqcOptions(kernel: CompiledKernel): CoqcOptions {
    return { program: this.coqcProgram, kernelDir: kernel.dir, limits: { memoryKiB: this.options.memoryKiB ?? defaultProcessLimits.memoryKiB } };
  }

  private async checkAdmitted(kernel: CompiledKernel, request: CheckRequest, timeoutMs: number, signal: AbortSignal | undefined): Promise<Conclusion> {
    const deadline = Date.now() + timeoutMs;
    const nonce = randomBytes(8).toString('hex');
    // A tactic proof in a warm session touches no file; everything else gets a private directory.
    if (this.pool !== undefined && request.source === undefined) return this.checkInPool(this.pool, nonce, request, '', deadline, signal);
    const unit = await createUnit(this.untrustedRoot, nonce);
    try {
      if (this.pool === undefined) {
        return await runBatchCheck(
          { coqc: this.coqcOptions(kernel), unit, nonce, importSentence: kernel.importSentence },
          { statement: request.statement, proof: request.proof, source: request.source, theorem: request.theorem, allowedAxioms: request.allowedAxioms, timeoutMs },
        );
      }
      // The untrusted document is checked on its own first, by coqc, outside every warm session.
      const compiled = await compileUntrustedSource(this.coqcOptions(kernel), unit, request.source ?? '', Math.max(1, deadline - Date.now()));
      if (compiled !== undefined) return compiled;
      await publishUnit(unit, this.untrustedRoot);
      return await this.checkInPool(this.pool, nonce, request, unit.logicalModule, deadline, signal);
    } finally {
      await removeUnit(unit, this.untrustedRoot);
    }
  }


  private async checkInPool(pool: SessionPool, nonce: string, request: CheckRequest, logicalModule: string, deadline: number, signal: AbortSignal | undefined): Promise<Conclusion> {
    const base = { statement: request.statement, allowedAxioms: request.allowedAxioms };
    const check =
      request.source === undefined
        ? { kind: 'proof' as const, ...base, proof: request.proof ?? '' }
        : { kind: 'source' as const, ...base, logicalModule, theorem: request.theorem ?? '' };
    // One retry on a fresh session: a crash may be the session's fault rather than the proof's.
    for (let attempt = 1; ; attempt += 1) {
      let lease;
      try {
        lease = await pool.acquire(Math.max(1, deadline - Date.now()));
      } catch (error) {
        return { verdict: 'Error', reason: 'NoSession', message: error instanceof Error ? error.message : 'no session' };
      }
      let stop: 'timeout' | 'cancelled' | undefined;
      const halt = (why: 'timeout' | 'cancelled'): void => {
        stop ??= why;
        lease.session.interrupt();
        setTimeout(() => {
          lease.session.kill();
        }, engineDefaults.killGraceMs).unref();
      };
      const timer = setTimeout(() => {
        halt('timeout');
      }, Math.max(1, deadline - Date.now()));
      const onAbort = (): void => {
        halt('cancelled');
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const conclusion = await runSessionCheck(lease.session, nonce, check);
        if (stop === undefined) {
          await pool.release(lease);
          return conclusion;
        }
      } catch {
        // The session died or broke the protocol; the reason is decided below.
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      await pool.release(lease, stop ?? 'crash');
      if (this.closed) return { verdict: 'Error', reason: 'EngineClosed', message: 'the engine closed during the check' };
      if (stop === 'timeout') return { verdict: 'Failed', reason: 'Timeout', message: `the check took longer than its limit` };
      if (stop === 'cancelled') return { verdict: 'Error', reason: 'Cancelled', message: 'the check was cancelled' };
      if (attempt >= 2) return { verdict: 'Failed', reason: 'ResourceLimit', message: 'the Coq session died twice on this request (memory cap or crash)' };
    }
  }
}
