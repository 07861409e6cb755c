// What every warm-session protocol driver (coqidetop, sertop) offers the pool and the check script.

/** The outcome of one protocol step: Coq's messages, and its error when the step failed. */
export type StepResult =
  | { readonly ok: true; readonly messages: readonly string[] }
  | { readonly ok: false; readonly error: string; readonly messages: readonly string[] };

/** Open goals after the untrusted proof: `proving` is false when no proof is open any more. */
export interface GoalsState {
  readonly proving: boolean;
  /** Every goal still to prove (focused, unfocused, shelved, given up), as Coq prints it. */
  readonly remaining: readonly string[];
}

/** A warm Coq process with the kernel loaded and a checkpoint after it. */
export interface ProtocolSession {
  readonly pid: number | undefined;
  /** Resolves when the process has exited, for whatever reason. */
  readonly exited: Promise<void>;
  /** Adds one sentence on top of the current tip and executes it fully. */
  exec(sentence: string): Promise<StepResult>;
  /** Adds one sentence; its execution may wait until the next goals() or exec(), which then report its error. */
  push(sentence: string): Promise<StepResult>;
  /** Executes everything up to the tip and reads the remaining goals there; a failed sentence is an error result. */
  goals(): Promise<GoalsState | { readonly error: string }>;
  /** Runs a query at the tip; only the messages answering this query are returned (a private route). */
  query(text: string): Promise<StepResult>;
  /** Returns to the checkpoint taken after the kernel was loaded. */
  rollback(): Promise<void>;
  /** Asks Coq to stop the current computation (SIGINT). */
  interrupt(): void;
  /** Kills the process group. */
  kill(): void;
}

/** Raised when a session process dies or breaks the protocol; the pool then replaces the session. */
export class SessionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SessionError';
  }
}

/** How to start a session: binaries, load paths, limits and the sentence that loads the kernel. */
export interface SessionConfig {
  readonly program: string;
  /** The scratch directory Coq runs in. */
  readonly cwd: string;
  /** `-Q dir logical` pairs: the kernel, and the directory of compiled untrusted sources. */
  readonly loadPaths: readonly (readonly [string, string])[];
  readonly importSentence: string;
  readonly memoryKiB: number;
  /** Limit for starting the process and loading the kernel. */
  readonly startTimeoutMs: number;
}
