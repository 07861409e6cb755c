// Test oracles written without the production code: a naive S5 evaluator, brute-force validity, and formula generators.

import fc from 'fast-check';
import type { Formula } from '../../../prover/src/pxl/index.js';

/** Evaluates f at world `at` of the S5 model whose worlds are the given valuations, by direct recursion. */
export function holdsAt(f: Formula, worlds: readonly ReadonlySet<string>[], at: number): boolean {
  const here = worlds[at];
  if (here === undefined) throw new Error(`no world ${at}`);
  switch (f.kind) {
    case 'atom':
      return here.has(f.name);
    case 'top':
      return true;
    case 'bot':
      return false;
    case 'not':
      return !holdsAt(f.arg, worlds, at);
    case 'box':
      return worlds.every((_, i) => holdsAt(f.arg, worlds, i));
    case 'dia':
      return worlds.some((_, i) => holdsAt(f.arg, worlds, i));
    case 'and':
      return holdsAt(f.left, worlds, at) && holdsAt(f.right, worlds, at);
    case 'or':
      return holdsAt(f.left, worlds, at) || holdsAt(f.right, worlds, at);
    case 'imp':
      return !holdsAt(f.left, worlds, at) || holdsAt(f.right, worlds, at);
    case 'iff':
      return holdsAt(f.left, worlds, at) === holdsAt(f.right, worlds, at);
  }
}

/** Tells whether f is S5-valid by trying every non-empty set of valuations over its atoms (small atom counts only). */
export function isValidByBruteForce(f: Formula, atoms: readonly string[]): boolean {
  const valuations = Array.from({ length: 1 << atoms.length }, (_, bits) => new Set(atoms.filter((_, i) => (bits >> i) & 1)));
  for (let subset = 1; subset < 1 << valuations.length; subset++) {
    const worlds = valuations.filter((_, i) => (subset >> i) & 1);
    for (let w = 0; w < worlds.length; w++) if (!holdsAt(f, worlds, w)) return false;
  }
  return true;
}

/** Converts a countermodel's worlds to valuations, with the falsifying world's index. */
export function toValuations(model: { worlds: readonly { id: string; true: readonly string[] }[]; falsifiedAt: string }): {
  worlds: Set<string>[];
  at: number;
} {
  return { worlds: model.worlds.map((w) => new Set(w.true)), at: model.worlds.findIndex((w) => w.id === model.falsifiedAt) };
}

/** Random formulas over the given atom names, at most `depth` deep. */
export function arbitraryFormula(atomNames: readonly string[], depth: number): fc.Arbitrary<Formula> {
  const { formula } = fc.letrec<{ formula: Formula }>((tie) => ({
    formula: fc.oneof(
      { depthSize: 'small', maxDepth: depth, withCrossShrink: true },
      fc.constantFrom(...atomNames).map((name): Formula => ({ kind: 'atom', name })),
      fc.constantFrom<Formula>({ kind: 'top' }, { kind: 'bot' }),
      fc.tuple(fc.constantFrom('not', 'box', 'dia') , tie('formula')).map(([kind, arg]): Formula => ({ kind, arg })),
      fc.tuple(fc.constantFrom('and', 'or', 'imp', 'iff'), tie('formula'), tie('formula')).map(
        ([kind, left, right]): Formula => ({ kind, left, right }),
      ),
    ),
  }));
  return formula;
}
