// The prover's HTTP contract (API §2) as the operator sees it.

import type { ProveBody } from '../../../crds/prover-api.js';

/** The body of `POST /prove`, built from a ProofRequest spec. */
export type { ProveBody };

/** A countermodel: worlds and the atoms true in each, and the world where the goal fails. */
export interface Countermodel {
  readonly worlds: readonly { readonly id: string; readonly true: readonly string[] }[];
  readonly falsifiedAt: string;
}

/** The `result` object of API §1 as a prover returns it, plus its verdict. */
export interface ProveResponse {
  readonly verdict: string;
  readonly reason?: string;
  readonly message?: string;
  readonly ok: boolean;
  readonly kernelHash?: string;
  readonly backend?: string;
  readonly prover?: string;
  readonly durationMs?: number;
  readonly digest?: string;
  readonly cached?: boolean;
  readonly statement?: string;
  readonly atoms?: Readonly<Record<string, number>>;
  readonly assumptions?: readonly string[];
  readonly messages?: readonly string[];
  readonly countermodel?: Countermodel;
}

/** How one call to a prover Pod ended. */
export type ProveOutcome =
  | { readonly kind: 'verdict'; readonly response: ProveResponse }
  | { readonly kind: 'infra'; readonly reason: InfraReason; readonly message: string; readonly retryAfterMs?: number }
  | { readonly kind: 'aborted' };

/** Why a call failed for reasons of infrastructure rather than the proof. */
export const infraReasons = {
  unreachable: 'ProverUnreachable',
  busy: 'ProverBusy',
  serverError: 'ProverError',
  badResponse: 'BadProverResponse',
  unauthorized: 'ProverUnauthorized',
  timeout: 'ProverTimeout',
} as const;

/** One reason from `infraReasons`. */
export type InfraReason = (typeof infraReasons)[keyof typeof infraReasons];
