// Classical S5 decision procedure: SAT over a bounded model, then an independent check of every countermodel.

import { evaluateS5 } from './evaluate.js';
import { listAtoms, type Formula } from './formula.js';
import { solveSat } from './sat.js';
import { encodeCountermodel, measureGoal } from './s5-encoding.js';

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
  /** Wall-clock budget for the search (default 2000 ms). */
  readonly timeMs?: number;
  /** Most distinct BOX/DIA subformulas (default 128): the model has one world per such subformula plus one. */
  readonly maxModalSubformulas?: number;
  /** Most distinct atoms (default 4096, more than a 16 KiB goal can hold at the depth bound). */
  readonly maxAtoms?: number;
  /** Most SAT propagation steps (default 20 000 000). */
  readonly maxSteps?: number;
}

/** The outcome of the S5 decision procedure. */
export type CountermodelResult =
  | { readonly status: 'found'; readonly countermodel: Countermodel }
  | { readonly status: 'valid' }
  | { readonly status: 'unknown'; readonly reason: string };

/** Default bounds of findCountermodel. */
export const countermodelDefaults = { timeMs: 2000, maxModalSubformulas: 128, maxAtoms: 4096, maxSteps: 20_000_000 } as const;

// Most clauses the encoding may produce before the goal is declared too large to decide.
const maxClauseEstimate = 2_000_000;

/** Decides a goal in classical S5: a verified countermodel, `valid`, or `unknown` when a bound is hit. */
export function findCountermodel(f: Formula, limits: CountermodelLimits = {}): CountermodelResult {
  try {
    return decide(f, limits);
  } catch (err) {
    // Parsed goals are at most 256 deep; only a hand-built, deeper formula can exhaust the stack.
    if (err instanceof RangeError) return { status: 'unknown', reason: 'goal nested too deeply for the countermodel search' };
    throw err;
  }
}

function decide(f: Formula, limits: CountermodelLimits): CountermodelResult {
  const bounds = { ...countermodelDefaults, ...limits };
  const deadline = Date.now() + bounds.timeMs;
  const measured = measureGoal(f);
  if (measured.modalSubformulas > bounds.maxModalSubformulas) {
    return { status: 'unknown', reason: `goal has ${measured.modalSubformulas} distinct BOX/DIA subformulas; the countermodel search handles at most ${bounds.maxModalSubformulas}` };
  }
  if (measured.atoms > bounds.maxAtoms) {
    return { status: 'unknown', reason: `goal has ${measured.atoms} distinct atoms; the countermodel search handles at most ${bounds.maxAtoms}` };
  }
  const estimate = (measured.modalSubformulas + 1) * measured.nodes * 4;
  if (estimate > maxClauseEstimate) {
    return { status: 'unknown', reason: `goal too large for the countermodel search: about ${estimate} clauses over ${measured.modalSubformulas + 1} worlds` };
  }
  const encoding = encodeCountermodel(measured);
  const answer = solveSat(encoding.variableCount, encoding.clauses, { deadline, maxSteps: bounds.maxSteps }, encoding.inputs);
  if (answer.status === 'unsat') return { status: 'valid' };
  if (answer.status === 'unknown') return { status: 'unknown', reason: `countermodel search stopped: ${answer.reason} (limit ${bounds.timeMs} ms)` };
  const valuations = encoding.atomVariables.map(
    (vars) => new Set([...vars].filter(([, v]) => answer.model[v] === true).map(([name]) => name)),
  );
  const worlds = shrinkModel(f, dedupe(valuations), deadline);
  // The independent check: a countermodel that does not falsify the goal is never returned.
  if (evaluateS5(f, worlds, 0)) {
    return { status: 'unknown', reason: 'internal: the countermodel found failed its independent check' };
  }
  const order = listAtoms(f);
  return {
    status: 'found',
    countermodel: {
      worlds: worlds.map((w, i) => ({ id: `w${i}`, true: order.filter((a) => w.has(a)) })),
      falsifiedAt: 'w0',
    },
  };
}

// S5 truth depends only on the set of valuations, so duplicate worlds add nothing.
function dedupe(valuations: readonly Set<string>[]): Set<string>[] {
  const seen = new Set<string>();
  return valuations.filter((v) => {
    const key = JSON.stringify([...v].sort());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Drops witness worlds the countermodel does not need, keeping world 0 where the goal fails; smaller is easier to read.
// Shrinking is a courtesy: it stops at the search's deadline and returns the (still valid) larger model.
function shrinkModel(f: Formula, worlds: Set<string>[], deadline: number): Set<string>[] {
  if (worlds.length > 64) return worlds;
  let kept = worlds;
  for (let i = kept.length - 1; i >= 1 && Date.now() <= deadline; i--) {
    const without = kept.filter((_, k) => k !== i);
    if (!evaluateS5(f, without, 0)) kept = without;
  }
  return kept;
}
