// The contract between the prover's HTTP layer and its checking engine.

/** Verdicts the checking engine can return; Refuted comes only from the goal language's countermodels. */
export const verdicts = ['Proved', 'Refuted', 'Failed', 'Rejected', 'Error'] as const;

/** One verdict of a check. */
export type Verdict = (typeof verdicts)[number];

/** Backends that can run a check. */
export const backends = ['serapi', 'coqidetop', 'coqc'] as const;

/** One checking backend. */
export type Backend = (typeof backends)[number];

/** A request to check an untrusted proof of a trusted Coq statement against the kernel. */
export interface CheckRequest {
  /** The trusted statement, one Coq term over the kernel, e.g. `Prov (Impl (Atom 0) (Atom 0))`. */
  readonly statement: string;
  /** Untrusted tactics proving the statement; exclusive with `source`. */
  readonly proof?: string;
  /** An untrusted whole Coq document that proves `theorem`; exclusive with `proof`. */
  readonly source?: string;
  /** The name of the theorem in `source` whose type must be exactly the statement. */
  readonly theorem?: string;
  /** Fully qualified names beyond the kernel that the proof may rest on. */
  readonly allowedAxioms: readonly string[];
  /** Wall-clock limit for the whole check. */
  readonly timeoutMs: number;
}

/** What the engine concluded about one request. */
export interface CheckOutcome {
  readonly verdict: Verdict;
  /** The phase, or a finer CamelCase reason: Timeout, DisallowedAxiom, ParseError, ForbiddenCommand, CoqError, Incomplete, … */
  readonly reason: string;
  /** One human sentence for status messages. */
  readonly message: string;
  /** Coq's errors or remaining goals, each at most 1 KiB, all at most 8 KiB. */
  readonly messages: readonly string[];
  /** Fully qualified names the proof rests on beyond the kernel (from a structured query). */
  readonly assumptions: readonly string[];
  readonly backend: Backend;
  readonly durationMs: number;
}

/** Readiness of the engine: kernel compiled, hash as expected, at least one warm session. */
export interface EngineReadiness {
  readonly ready: boolean;
  readonly reason?: string;
}

/** The checking engine the HTTP service and the embedded CLI drive. */
export interface CheckEngine {
  readonly kernelHash: string;
  readonly backend: Backend;
  /** Checks one request; resolves (never rejects) for every input, including hostile ones. */
  check(request: CheckRequest, signal?: AbortSignal): Promise<CheckOutcome>;
  readiness(): EngineReadiness;
  /** Session counts by state (idle, busy, starting) for metrics. */
  sessionStates(): Readonly<Record<'idle' | 'busy' | 'starting', number>>;
  /** Versions of Coq and the backend for /version. */
  versions(): Readonly<Record<string, string>>;
  /** True when every session is busy and the wait queue is full: a check now would get verdict Error, reason Busy (HTTP 503). */
  queueFull(): boolean;
  /** How many checks wait for a session. */
  queueDepth(): number;
  /** Session restarts so far by reason (timeout, crash, recycle, cancelled), for pxl_prover_session_restarts_total. */
  sessionRestarts(): Readonly<Record<string, number>>;
  /** Stops every Coq process; in-flight checks resolve with verdict Error. */
  close(): Promise<void>;
}

/** Options for starting an engine. */
export interface EngineOptions {
  readonly backend: Backend | 'auto';
  readonly sessions: number;
  /** A directory of .v kernel sources; absent → the built-in PXLv3 kernel. */
  readonly kernelDir?: string;
  /** `sha256:…`; a mismatch leaves the engine not ready (fail closed). */
  readonly expectedHash?: string;
  /** Writable scratch directory (the root filesystem may be read-only). */
  readonly scratchDir: string;
  /** Checks that may wait for a session before check() answers verdict Error, reason Busy; default 8 per session. */
  readonly maxQueue?: number;
  /** Address-space cap per Coq process in KiB (RLIMIT_AS); default 4 GiB. */
  readonly memoryKiB?: number;
  /** Replace a session after this many checks; default 500. */
  readonly recycleAfterChecks?: number;
}
