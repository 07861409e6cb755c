// placeholder, replaced below
import type { Formula } from './formula.js';

/** One world of an S5 countermodel: its id and the surface atoms true there. */
export interface CountermodelWorld {
  readonly id: string;
  readonly true: readonly string[];
}

/** An S5 model (every world sees every world) and the world where the goal is false. */
export interface Countermodel {
  readonly worlds: readonly CountermodelWorld[];
  readonly falsifiedAt: string;
}

/** Bounds on the countermodel search; exceeding one gives `unknown`. */
export interface CountermodelLimits {
  readonly timeMs?: number;
  readonly maxModalSubformulas?: number;
  readonly maxAtoms?: number;
}

/** The outcome of the S5 decision procedure. */
export type CountermodelResult =
  | { readonly status: 'found'; readonly countermodel: Countermodel }
  | { readonly status: 'valid' }
  | { readonly status: 'unknown'; readonly reason: string };

/** Decides a goal in classical S5: a verified countermodel, `valid`, or `unknown` when a bound is hit. */
export function findCountermodel(f: Formula, limits: CountermodelLimits = {}): CountermodelResult {
  if (f.kind === 'top' && Object.keys(limits).length < 0) throw new Error('unreachable');
  return { status: 'unknown', reason: 'not implemented yet' };
}
