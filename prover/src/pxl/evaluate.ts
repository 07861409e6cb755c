// A direct S5 model checker, written independently of the SAT encoding so that it can vouch for countermodels.

import type { Formula } from './formula.js';

/** Evaluates a formula at one world of an S5 model given as the list of its worlds' true atoms (every world sees every world). */
export function evaluateS5(f: Formula, worlds: readonly ReadonlySet<string>[], at: number): boolean {
  // Truth of each subformula at every world, computed once per distinct object.
  const memo = new Map<Formula, boolean[]>();
  const truth = (g: Formula): boolean[] => {
    const known = memo.get(g);
    if (known !== undefined) return known;
    let result: boolean[];
    switch (g.kind) {
      case 'atom':
        result = worlds.map((w) => w.has(g.name));
        break;
      case 'top':
        result = worlds.map(() => true);
        break;
      case 'bot':
        result = worlds.map(() => false);
        break;
      case 'not':
        result = truth(g.arg).map((v) => !v);
        break;
      case 'box': {
        const everywhere = truth(g.arg).every(Boolean);
        result = worlds.map(() => everywhere);
        break;
      }
      case 'dia': {
        const somewhere = truth(g.arg).some(Boolean);
        result = worlds.map(() => somewhere);
        break;
      }
      default: {
        const l = truth(g.left);
        const r = truth(g.right);
        const op = { and: (a: boolean, b: boolean) => a && b, or: (a: boolean, b: boolean) => a || b, imp: (a: boolean, b: boolean) => !a || b, iff: (a: boolean, b: boolean) => a === b }[g.kind];
        result = l.map((a, i) => op(a, r[i] ?? false));
      }
    }
    memo.set(g, result);
    return result;
  };
  return truth(f)[at] ?? false;
}
