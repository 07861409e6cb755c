// Screening a whole request before Coq: shape first, then each text.
import { expect } from 'chai';
import { screenRequest } from '../../../../prover/src/check/screen-request.js';
import type { CheckRequest } from '../../../../prover/src/check/types.js';

const base = { statement: 'Prov Bot', allowedAxioms: [], timeoutMs: 1000 };

describe('screenRequest', function () {
  const cases: readonly [string, unknown, string | undefined][] = [
    ['a proof request', { ...base, proof: 'auto.' }, undefined],
    ['a source request', { ...base, source: 'Theorem t : True. exact I. Qed.', theorem: 't' }, undefined],
    ['proof and source together', { ...base, proof: 'auto.', source: 'x', theorem: 't' }, 'ParseError'],
    ['neither proof nor source', { ...base }, 'ParseError'],
    ['source without theorem', { ...base, source: 'x' }, 'InvalidTheorem'],
    ['theorem with proof', { ...base, proof: 'auto.', theorem: 't' }, 'InvalidTheorem'],
    ['an unqualified allowed axiom', { ...base, proof: 'auto.', allowedAxioms: ['classic'] }, 'ParseError'],
    ['a statement that is not a string', { ...base, statement: 42, proof: 'auto.' }, 'ParseError'],
    ['allowed axioms that are not a list', { ...base, proof: 'auto.', allowedAxioms: 'x' }, 'ParseError'],
    ['a statement with a sentence end', { ...base, statement: 'True. Axiom', proof: 'auto.' }, 'InvalidStatement'],
    ['a forbidden command in the proof', { ...base, proof: 'Admitted.' }, 'ForbiddenCommand'],
  ];
  for (const [name, request, reason] of cases) {
    it(`${name} → ${reason ?? 'passes'}`, function () {
      const found = screenRequest(request as CheckRequest);
      expect(found?.reason).to.equal(reason);
      if (found !== undefined) expect(found.verdict).to.equal('Rejected');
    });
  }
});
