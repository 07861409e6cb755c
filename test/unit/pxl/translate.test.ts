import { expect } from 'chai';
import fc from 'fast-check';
import { parseGoal, printFormula, translateGoal, type Formula } from '../../../prover/src/pxl/index.js';
import { arbitraryFormula } from './brute-force.js';

function parseOk(text: string): Formula {
  const result = parseGoal(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.formula;
}

describe('translateGoal', () => {
  describe('when translating goals', () => {
    const cases: { name: string; goal: string; statement: string; atoms: Record<string, number> }[] = [
      { name: 'the K axiom', goal: 'BOX(p -> q) -> (BOX(p) -> BOX(q))', statement: 'Prov (Impl (Box (Impl (Atom 0) (Atom 1))) (Impl (Box (Atom 0)) (Box (Atom 1))))', atoms: { p: 0, q: 1 } },
      { name: 'atoms in order of first appearance', goal: 'q and p and q', statement: 'Prov (Conj (Atom 0) (Conj (Atom 1) (Atom 0)))', atoms: { q: 0, p: 1 } },
      { name: 'applied atoms', goal: 'BOX(Good(a) and Coherent(s))', statement: 'Prov (Box (Conj (Atom 0) (Atom 1)))', atoms: { 'Good(a)': 0, 'Coherent(s)': 1 } },
      { name: 'iff as two implications', goal: 'p <-> q', statement: 'Prov (Conj (Impl (Atom 0) (Atom 1)) (Impl (Atom 1) (Atom 0)))', atoms: { p: 0, q: 1 } },
      { name: 'True as Impl Bot Bot', goal: 'True', statement: 'Prov (Impl Bot Bot)', atoms: {} },
      { name: 'False as Bot', goal: 'False -> p', statement: 'Prov (Impl Bot (Atom 0))', atoms: { p: 0 } },
      { name: 'negation, disjunction and diamond', goal: 'not DIA(p) or q', statement: 'Prov (Disj (Neg (Dia (Atom 0))) (Atom 1))', atoms: { p: 0, q: 1 } },
      { name: 'a bare atom', goal: 'Good(a)', statement: 'Prov (Atom 0)', atoms: { 'Good(a)': 0 } },
    ];
    for (const c of cases) {
      it(`translates ${c.name}`, () => {
        expect(translateGoal(parseOk(c.goal))).to.deep.equal({ statement: c.statement, atoms: c.atoms });
      });
    }
  });

  describe('when the same goal is written differently', () => {
    it('gives the same statement for ASCII and Unicode spellings', () => {
      expect(translateGoal(parseOk('□(p → q) → ◇p')).statement).to.equal(translateGoal(parseOk('BOX(p -> q) -> DIAMOND(p)')).statement);
    });
    it('gives the same statement after printing and parsing again', () => {
      fc.assert(
        fc.property(arbitraryFormula(['p', 'q', 'r'], 6), (f) => {
          expect(translateGoal(parseOk(printFormula(f)))).to.deep.equal(translateGoal(f));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('when checking the shape of statements', () => {
    it('balances parentheses and uses only kernel constructors', () => {
      fc.assert(
        fc.property(arbitraryFormula(['p', 'q', 'r'], 6), (f) => {
          const { statement } = translateGoal(f);
          let open = 0;
          for (const ch of statement) {
            open += ch === '(' ? 1 : ch === ')' ? -1 : 0;
            expect(open).to.be.at.least(0);
          }
          expect(open).to.equal(0);
          expect(statement.replace(/[()\d ]/g, ' ').split(/\s+/).filter(Boolean).every((w) => ['Prov', 'Atom', 'Bot', 'Neg', 'Conj', 'Disj', 'Impl', 'Box', 'Dia'].includes(w))).to.equal(true);
        }),
        { numRuns: 300 },
      );
    });
  });
});
