// The `POST /prove` body for one generation of a ProofRequest spec.
import type { ProveBody } from '../../prover-client/types.js';

/** The parts of a ProofRequest spec that the prover sees. */
export interface ProofSpec {
  readonly goal?: string;
  readonly statement?: string;
  readonly proof?: string;
  readonly source?: string;
  readonly theorem?: string;
  readonly allowedAxioms?: readonly string[];
  readonly timeoutSeconds?: number;
}

/** Builds the body; the timeout is the request's, else the core's default, else 30 s. */
export function buildProveBody(spec: ProofSpec, coreDefaultTimeoutSeconds: number | undefined, requestId: string): ProveBody {
  const timeoutSeconds = spec.timeoutSeconds ?? coreDefaultTimeoutSeconds ?? 30;
  return {
    ...(spec.goal === undefined ? {} : { goal: spec.goal }),
    ...(spec.statement === undefined ? {} : { statement: spec.statement }),
    ...(spec.proof === undefined ? {} : { proof: spec.proof }),
    ...(spec.source === undefined ? {} : { source: spec.source }),
    ...(spec.theorem === undefined ? {} : { theorem: spec.theorem }),
    ...(spec.allowedAxioms === undefined || spec.allowedAxioms.length === 0 ? {} : { allowedAxioms: [...spec.allowedAxioms] }),
    timeoutMs: timeoutSeconds * 1000,
    requestId,
  };
}
