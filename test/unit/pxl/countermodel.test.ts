import { expect } from 'chai';
import fc from 'fast-check';
import { findCountermodel, listAtoms, parseGoal, searchDerivation, type Formula } from '../../../prover/src/pxl/index.js';
import { arbitraryFormula, holdsAt, isValidByBruteForce, toValuations } from './brute-force.js';

// Results then depend only on the deterministic step bound, not on how loaded the machine is.
const steady = { timeMs: 600_000 } as const;

function parseOk(text: string): Formula {
  const result = parseGoal(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.formula;
}

function expectFalsified(f: Formula): void {
  const result = findCountermodel(f, steady);
  expect(result.status).to.equal('found');
  if (result.status !== 'found') return;
  const { worlds, at } = toValuations(result.countermodel);
  expect(at).to.be.at.least(0);
  expect(holdsAt(f, worlds, at)).to.equal(false);
}

describe('findCountermodel', () => {
  describe('when the goal is not S5-valid', () => {
    const invalid = [
      'p', 'p -> BOX(p)', 'DIA(p) -> p', 'BOX(p) or BOX(not p)', 'BOX(p or q) -> BOX(p) or BOX(q)', 'False',
      'BOX(Good(a) and Coherent(s))', 'DIA(p) and DIA(q) -> DIA(p and q)', 'BOX(DIA(p))', 'p <-> BOX(p)', 'not p',
    ];
    for (const goal of invalid) {
      it(`finds a countermodel of ${goal} that really falsifies it`, () => {
        expectFalsified(parseOk(goal));
      });
    }
    it('names worlds w0… with surface atom names and falsifies at w0', () => {
      expect(findCountermodel(parseOk('Good(a) -> BOX(Good(a))'))).to.deep.equal({
        status: 'found',
        countermodel: { worlds: [{ id: 'w0', true: ['Good(a)'] }, { id: 'w1', true: [] }], falsifiedAt: 'w0' },
      });
    });
  });

  describe('when the goal is an S5 theorem', () => {
    const theorems = [
      ['K', 'BOX(p -> q) -> (BOX(p) -> BOX(q))'], ['T', 'BOX(p) -> p'], ['4', 'BOX(p) -> BOX(BOX(p))'],
      ['5', 'DIA(p) -> BOX(DIA(p))'], ['B', 'p -> BOX(DIA(p))'], ['DIA-BOX collapse', 'DIA(BOX(p)) -> BOX(p)'],
      ['duality dia/box', 'not DIA(p) <-> BOX(not p)'], ['duality box/dia', 'not BOX(p) <-> DIA(not p)'],
      ['excluded middle', 'p or not p'], ['True', 'True'], ['BOX of a tautology', 'BOX(p -> p)'],
      ['Barcan-free distribution', 'BOX(p and q) <-> BOX(p) and BOX(q)'], ['necessitation of 5', 'BOX(DIA(p) -> BOX(DIA(p)))'],
    ] as const;
    for (const [name, goal] of theorems) {
      it(`reports ${name} valid`, () => {
        expect(findCountermodel(parseOk(goal), steady)).to.deep.equal({ status: 'valid' });
      });
    }
  });

  describe('when the goal is an instance of an S5 theorem schema over random formulas', () => {
    const box = (f: Formula): Formula => ({ kind: 'box', arg: f });
    const dia = (f: Formula): Formula => ({ kind: 'dia', arg: f });
    const not = (f: Formula): Formula => ({ kind: 'not', arg: f });
    const imp = (left: Formula, right: Formula): Formula => ({ kind: 'imp', left, right });
    const iff = (left: Formula, right: Formula): Formula => ({ kind: 'iff', left, right });
    const schemas: readonly [string, (a: Formula, b: Formula) => Formula][] = [
      ['K', (a, b) => imp(box(imp(a, b)), imp(box(a), box(b)))],
      ['T', (a) => imp(box(a), a)],
      ['4', (a) => imp(box(a), box(box(a)))],
      ['5', (a) => imp(dia(a), box(dia(a)))],
      ['B', (a) => imp(a, box(dia(a)))],
      ['DIA-BOX collapse', (a) => imp(dia(box(a)), box(a))],
      ['duality dia/box', (a) => iff(not(dia(a)), box(not(a)))],
      ['duality box/dia', (a) => iff(not(box(a)), dia(not(a)))],
    ];
    for (const [name, schema] of schemas) {
      it(`never finds a countermodel to ${name}`, () => {
        fc.assert(
          fc.property(arbitraryFormula(['p', 'q', 'Good(a)'], 4), arbitraryFormula(['p', 'q', 'r'], 4), (a, b) => {
            expect(findCountermodel(schema(a, b), steady)).to.deep.equal({ status: 'valid' });
          }),
          { numRuns: 100 },
        );
      });
    }
  });

  describe('when a bound is hit', () => {
    it('reports unknown for too many modal subformulas', () => {
      const result = findCountermodel(parseOk('BOX(p) -> DIA(q)'), { maxModalSubformulas: 1 });
      expect(result).to.deep.equal({ status: 'unknown', reason: 'goal has 2 distinct BOX/DIA subformulas; the countermodel search handles at most 1' });
    });
    it('reports unknown for too many atoms', () => {
      const result = findCountermodel(parseOk('p and q and r'), { maxAtoms: 2 });
      expect(result.status).to.equal('unknown');
    });
    it('reports unknown when the step bound is hit', () => {
      const pigeons = Array.from({ length: 5 }, (_, i) => `DIA(a${i} and not (${Array.from({ length: 5 }, (_, j) => (j === i ? 'False' : `a${j}`)).join(' or ')}))`).join(' and ');
      const result = findCountermodel(parseOk(`not (${pigeons})`), { maxSteps: 10 });
      expect(result.status).to.equal('unknown');
      if (result.status === 'unknown') expect(result.reason).to.match(/exceeded 10 steps/);
    });
  });

  describe('when checked against brute force on random small formulas', () => {
    it('agrees with brute-force validity over every model', () => {
      fc.assert(
        fc.property(arbitraryFormula(['p', 'q', 'r'], 5), (f) => {
          const result = findCountermodel(f, steady);
          expect(result.status).not.to.equal('unknown');
          expect(result.status === 'valid').to.equal(isValidByBruteForce(f, listAtoms(f)));
        }),
        { numRuns: 400 },
      );
    });
    it('returns only countermodels that falsify the goal', () => {
      fc.assert(
        fc.property(arbitraryFormula(['p', 'q', 'Good(a)', 'r', 's'], 8), (f) => {
          const result = findCountermodel(f, steady);
          if (result.status !== 'found') return;
          const { worlds, at } = toValuations(result.countermodel);
          expect(holdsAt(f, worlds, at)).to.equal(false);
          expect(new Set(result.countermodel.worlds.map((w) => w.id)).size).to.equal(worlds.length);
        }),
        { numRuns: 400 },
      );
    });
  });
});

describe('the goal language on hand-built formulas deeper than any parsed goal', () => {
  const deep = Array.from({ length: 100_000 }).reduce<Formula>((f) => ({ kind: 'not', arg: f }), { kind: 'atom', name: 'p' });
  it('answers unknown from findCountermodel instead of throwing', () => {
    expect(findCountermodel(deep)).to.deep.equal({ status: 'unknown', reason: 'goal nested too deeply for the countermodel search' });
  });
  it('answers not found from searchDerivation instead of throwing', () => {
    expect(searchDerivation(deep)).to.deep.equal({ found: false, reason: 'derivation search stopped: goal too deep to search' });
  });
});
