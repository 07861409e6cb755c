// The trusted sentences around untrusted text, read as a table.
import { expect } from 'chai';
import { splitSentences } from '../../../../prover/src/check/coq-lexer.js';
import { bindProof, defineStatement, identitySentences, makeCheckNames, stateTheorem } from '../../../../prover/src/check/trusted-text.js';

describe('trusted sentences', function () {
  const names = makeCheckNames('00ff');

  it('use names derived from the nonce', function () {
    expect(names).to.deep.equal({ theorem: 'pxl_goal_00ff', statement: 'pxl_statement_00ff', proof: 'pxl_proof_00ff' });
  });

  const sentences: readonly [string, string][] = [
    ['the stated theorem', stateTheorem(names, 'Prov\nBot')],
    ['the statement definition', defineStatement(names, 'Prov Bot')],
    ['the bound proof', bindProof(names, 'PXLu.c1.my_lemma')],
    ...identitySentences(names).map((text, i): [string, string] => [`identity sentence ${i}`, text]),
  ];
  for (const [name, text] of sentences) {
    it(`${name} is exactly one sentence`, function () {
      expect(splitSentences(text)).to.have.length(1);
    });
  }

  it('compare with constr_eq, not by conversion', function () {
    expect(identitySentences(names).join(' ')).to.include('constr_eq t s');
  });
});
