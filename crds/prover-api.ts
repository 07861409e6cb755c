// The prover's HTTP contract (API §2) shared by the two processes that speak it: the operator and the prover.

/** The body of `POST /prove`: what to prove (goal or statement) and how (proof, source + theorem, or neither). */
export interface ProveBody {
  readonly goal?: string;
  readonly statement?: string;
  readonly proof?: string;
  readonly source?: string;
  readonly theorem?: string;
  readonly allowedAxioms?: readonly string[];
  readonly timeoutMs?: number;
  readonly requestId?: string;
}
