// Prints formulas in canonical ASCII surface syntax with the fewest parentheses that parse back to the same tree.

import type { Formula, FormulaKind } from './formula.js';

// Binding strength: looser connectives have smaller numbers.
const strength: Readonly<Record<FormulaKind, number>> = {
  iff: 1, imp: 2, or: 3, and: 4, not: 5, box: 6, dia: 6, atom: 6, top: 6, bot: 6,
};

const spelling = { iff: '<->', imp: '->', or: 'or', and: 'and' } as const;

function printAtLeast(f: Formula, minimum: number): string {
  const text = printFormula(f);
  return strength[f.kind] >= minimum ? text : `(${text})`;
}

/** Prints a formula so that parseGoal(printFormula(f)) gives back f. */
export function printFormula(f: Formula): string {
  switch (f.kind) {
    case 'atom':
      return f.name;
    case 'top':
      return 'True';
    case 'bot':
      return 'False';
    case 'not':
      return `not ${printAtLeast(f.arg, strength.not)}`;
    case 'box':
      return `BOX(${printFormula(f.arg)})`;
    case 'dia':
      return `DIA(${printFormula(f.arg)})`;
    case 'iff':
      // Non-associative: both sides must be tighter.
      return `${printAtLeast(f.left, strength.iff + 1)} <-> ${printAtLeast(f.right, strength.iff + 1)}`;
    default: {
      // Right-associative: the left operand must be tighter, the right may be the same connective.
      const own = strength[f.kind];
      return `${printAtLeast(f.left, own + 1)} ${spelling[f.kind]} ${printAtLeast(f.right, own)}`;
    }
  }
}
