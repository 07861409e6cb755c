// The pipeline's view of the goal language (prover/src/pxl): parse, translate, refute, derive.
import { findCountermodel, parseGoal, searchDerivation, translateGoal, type Countermodel, type Formula } from '../pxl/index.js';

export type { Countermodel } from '../pxl/index.js';

/** What the goal language says about a goal before Coq is asked. */
export type GoalAnalysis =
  | { readonly kind: 'unparsable'; readonly line: number; readonly column: number; readonly message: string }
  | { readonly kind: 'refuted'; readonly statement: string; readonly atoms: Readonly<Record<string, number>>; readonly countermodel: Countermodel }
  | { readonly kind: 'open'; readonly formula: Formula; readonly statement: string; readonly atoms: Readonly<Record<string, number>> };

/** Parses and translates a goal and searches for a countermodel; "open" means Coq must decide. */
export function analyseGoal(goal: string): GoalAnalysis {
  const parsed = parseGoal(goal);
  if (!parsed.ok) return { kind: 'unparsable', ...parsed.error };
  const { statement, atoms } = translateGoal(parsed.formula);
  const search = findCountermodel(parsed.formula);
  if (search.status === 'found') return { kind: 'refuted', statement, atoms, countermodel: search.countermodel };
  return { kind: 'open', formula: parsed.formula, statement, atoms };
}

/** Asks the goal language for a tactic script; Coq still has to accept it. */
export function deriveProof(formula: Formula): { readonly found: true; readonly proof: string } | { readonly found: false; readonly reason: string } {
  return searchDerivation(formula);
}
