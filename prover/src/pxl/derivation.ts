// placeholder, replaced below
import type { Formula } from './formula.js';

/** Bounds on the derivation search. */
export interface DerivationLimits {
  readonly maxDepth?: number;
  readonly maxSteps?: number;
  readonly timeMs?: number;
}

/** The outcome of the derivation search: a Coq tactic script for the translated statement, or why none was found. */
export type DerivationResult = { readonly found: true; readonly proof: string } | { readonly found: false; readonly reason: string };

/** Searches the kernel's Hilbert system for a derivation of the goal and emits it as a Coq tactic script. */
export function searchDerivation(f: Formula, limits: DerivationLimits = {}): DerivationResult {
  if (f.kind === 'top' && Object.keys(limits).length < 0) throw new Error('unreachable');
  return { found: false, reason: 'not implemented yet' };
}
