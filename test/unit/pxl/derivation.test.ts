import { expect } from 'chai';
import fc from 'fast-check';
import { findCountermodel, parseGoal, searchDerivation, type Formula } from '../../../prover/src/pxl/index.js';
import { arbitraryFormula } from './brute-force.js';

// Results then depend only on the deterministic step bound, not on how loaded the machine is.
const steady = { timeMs: 600_000 } as const;

function parseOk(text: string): Formula {
  const result = parseGoal(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.formula;
}

describe('searchDerivation', () => {
  describe('when the goal is an axiom instance', () => {
    const cases = [
      ['K', 'BOX(p -> q) -> (BOX(p) -> BOX(q))', 'exact (ax_K (Atom 0) (Atom 1)).'],
      ['T', 'BOX(p) -> p', 'exact (ax_T (Atom 0)).'],
      ['4', 'BOX(p) -> BOX(BOX(p))', 'exact (ax_4 (Atom 0)).'],
      ['5', 'DIA(p) -> BOX(DIA(p))', 'exact (ax_5 (Atom 0)).'],
      ['and-elimination', 'p and q -> p', 'exact (ax_PL_and1 (Atom 0) (Atom 1)).'],
      ['weakening', 'p -> (q -> p)', 'exact (ax_PL_k (Atom 0) (Atom 1)).'],
      ['duality 1', 'not DIA(p) -> BOX(not p)', 'exact (ax_modal_dual_dia_box1 (Atom 0)).'],
      ['duality 2', 'BOX(not p) -> not DIA(p)', 'exact (ax_modal_dual_dia_box2 (Atom 0)).'],
      ['duality 3', 'not BOX(p) -> DIA(not p)', 'exact (ax_modal_dual_box_dia1 (Atom 0)).'],
      ['duality 4', 'DIA(not p) -> not BOX(p)', 'exact (ax_modal_dual_box_dia2 (Atom 0)).'],
      ['K over applied atoms', 'BOX(Good(a) -> Safe(a)) -> BOX(Good(a)) -> BOX(Safe(a))', 'exact (ax_K (Atom 0) (Atom 1)).'],
    ] as const;
    for (const [name, goal, script] of cases) {
      it(`proves ${name} with the axiom itself`, () => {
        expect(searchDerivation(parseOk(goal), steady)).to.deep.equal({ found: true, proof: script });
      });
    }
  });

  describe('when the goal needs mp or nec', () => {
    const goals = ['p -> p', 'BOX(p -> p)', 'True', 'not DIA(p) <-> BOX(not p)', 'not BOX(p) <-> DIA(not p)', 'BOX(p and q) -> BOX(p)', 'p <-> p', 'p -> not not p', 'BOX(BOX(p) -> p)',
      'BOX(p) -> BOX(q) -> BOX(p and q)', 'BOX(p -> q) -> BOX(q -> r) -> BOX(p -> r)', 'p or p -> p'];
    for (const goal of goals) {
      it(`finds a derivation of ${goal}`, () => {
        const result = searchDerivation(parseOk(goal), steady);
        expect(result.found, JSON.stringify(result)).to.equal(true);
        if (result.found) expect(result.proof).to.match(/^exact \(.*\)\.$/s);
      });
    }
  });

  describe('when no derivation exists', () => {
    it('reports why for an S5-invalid goal', () => {
      const result = searchDerivation(parseOk('p -> BOX(p)'), { ...steady, maxDepth: 3 });
      expect(result.found).to.equal(false);
      if (!result.found) expect(result.reason).to.match(/no derivation found up to depth 3|stopped/);
    });
    it('stops at the step bound', () => {
      expect(searchDerivation(parseOk('p or not p'), { ...steady, maxSteps: 1000 })).to.deep.equal({
        found: false,
        reason: 'derivation search stopped: step bound of 1000 hit (1001 steps)',
      });
    });
    it('stops when the proof term would be too long', () => {
      expect(searchDerivation(parseOk('p -> p'), { ...steady, maxProofChars: 100 })).to.deep.equal({
        found: false,
        reason: 'derivation search stopped: the derivation found is longer than 100 characters (200 steps)',
      });
    });
    it('never derives a goal that has a countermodel', () => {
      fc.assert(
        fc.property(arbitraryFormula(['p', 'q'], 4), (f) => {
          const derived = searchDerivation(f, { ...steady, maxSteps: 5000 });
          if (derived.found) expect(findCountermodel(f, steady).status).to.equal('valid');
        }),
        { numRuns: 300 },
      );
    });
  });
});
