import { expect } from 'chai';
import fc from 'fast-check';
import { evaluateS5 } from '../../../prover/src/pxl/evaluate.js';
import type { Formula } from '../../../prover/src/pxl/index.js';
import { arbitraryFormula, holdsAt } from './brute-force.js';

const p: Formula = { kind: 'atom', name: 'p' };

describe('evaluateS5', () => {
  describe('when given named models', () => {
    const cases: { name: string; f: Formula; worlds: string[][]; at: number; want: boolean }[] = [
      { name: 'an atom true here', f: p, worlds: [['p'], []], at: 0, want: true },
      { name: 'an atom false here', f: p, worlds: [['p'], []], at: 1, want: false },
      { name: 'a box with a failing world', f: { kind: 'box', arg: p }, worlds: [['p'], []], at: 0, want: false },
      { name: 'a diamond seen from a world where it fails', f: { kind: 'dia', arg: p }, worlds: [['p'], []], at: 1, want: true },
      { name: 'p -> BOX(p) at its countermodel', f: { kind: 'imp', left: p, right: { kind: 'box', arg: p } }, worlds: [['p'], []], at: 0, want: false },
    ];
    for (const c of cases) {
      it(`evaluates ${c.name}`, () => {
        expect(evaluateS5(c.f, c.worlds.map((w) => new Set(w)), c.at)).to.equal(c.want);
      });
    }
  });

  describe('when given random formulas and models', () => {
    it('agrees with the naive recursive evaluator', () => {
      const valuation = fc.subarray(['p', 'q', 'r']).map((xs) => new Set(xs));
      fc.assert(
        fc.property(arbitraryFormula(['p', 'q', 'r'], 6), fc.array(valuation, { minLength: 1, maxLength: 4 }), fc.nat(), (f, worlds, k) => {
          const at = k % worlds.length;
          expect(evaluateS5(f, worlds, at)).to.equal(holdsAt(f, worlds, at));
        }),
        { numRuns: 500 },
      );
    });
  });
});
