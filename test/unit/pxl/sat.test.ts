import { expect } from 'chai';
import fc from 'fast-check';
import { solveSat, type Clause } from '../../../prover/src/pxl/sat.js';

const unbounded = { deadline: Number.MAX_SAFE_INTEGER, maxSteps: Number.MAX_SAFE_INTEGER };

function satisfiesAll(model: readonly boolean[], clauses: readonly Clause[]): boolean {
  return clauses.every((c) => c.some((lit) => (lit > 0 ? model[lit] === true : model[-lit] !== true)));
}

function bruteForceSat(variables: number, clauses: readonly Clause[]): boolean {
  for (let bits = 0; bits < 1 << variables; bits++) {
    const model = [false, ...Array.from({ length: variables }, (_, i) => ((bits >> i) & 1) === 1)];
    if (satisfiesAll(model, clauses)) return true;
  }
  return false;
}

describe('solveSat', () => {
  describe('when given small named instances', () => {
    const cases: { name: string; variables: number; clauses: Clause[]; want: 'sat' | 'unsat' }[] = [
      { name: 'no clauses', variables: 2, clauses: [], want: 'sat' },
      { name: 'an empty clause', variables: 1, clauses: [[]], want: 'unsat' },
      { name: 'contradictory units', variables: 1, clauses: [[1], [-1]], want: 'unsat' },
      { name: 'a chain of implications', variables: 4, clauses: [[1], [-1, 2], [-2, 3], [-3, 4]], want: 'sat' },
      { name: 'all four clauses over two variables', variables: 2, clauses: [[1, 2], [1, -2], [-1, 2], [-1, -2]], want: 'unsat' },
      { name: 'a tautological clause', variables: 1, clauses: [[1, -1]], want: 'sat' },
    ];
    for (const c of cases) {
      it(`answers ${c.want} for ${c.name}`, () => {
        const result = solveSat(c.variables, c.clauses, unbounded);
        expect(result.status).to.equal(c.want);
        if (result.status === 'sat') expect(satisfiesAll(result.model, c.clauses)).to.equal(true);
      });
    }
  });

  describe('when given random 3-CNF', () => {
    it('agrees with brute force and returns real models', () => {
      const variables = 8;
      const literal = fc.integer({ min: 1, max: variables }).chain((v) => fc.constantFrom(v, -v));
      fc.assert(
        fc.property(fc.array(fc.array(literal, { minLength: 1, maxLength: 3 }), { maxLength: 40 }), (clauses) => {
          const result = solveSat(variables, clauses, unbounded);
          expect(result.status).to.equal(bruteForceSat(variables, clauses) ? 'sat' : 'unsat');
          if (result.status === 'sat') expect(satisfiesAll(result.model, clauses)).to.equal(true);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('when the step bound is hit', () => {
    it('answers unknown', () => {
      const clauses: Clause[] = [[1, 2, 3], [-1, -2], [-2, -3], [-1, -3], [1, 2], [2, 3]];
      expect(solveSat(3, clauses, { deadline: Number.MAX_SAFE_INTEGER, maxSteps: 1 })).to.deep.equal({ status: 'unknown', reason: 'SAT search exceeded 1 steps' });
    });
  });
});
