import { expect } from 'chai';
import { computeDigest, normaliseRequest, type RequestText } from '../../../prover/src/prove/normalise.js';

const kernel = `sha256:${'a'.repeat(64)}`;
const digestOf = (request: RequestText, kernelHash = kernel): string => computeDigest(normaliseRequest(request), kernelHash);

describe('request digest', () => {
  describe('when two requests are the same check', () => {
    const same: [string, RequestText, RequestText][] = [
      ['surrounding whitespace of the goal', { goal: 'p -> p' }, { goal: '  p -> p\n' }],
      ['CRLF line endings in the proof', { statement: 'S', proof: 'intro.\nexact H.' }, { statement: 'S', proof: 'intro.\r\nexact H.' }],
      ['allowed axioms in another order', { goal: 'p', allowedAxioms: ['B.b', 'A.a'] }, { goal: 'p', allowedAxioms: ['A.a', 'B.b'] }],
      ['duplicate allowed axioms', { goal: 'p', allowedAxioms: ['A.a', 'A.a'] }, { goal: 'p', allowedAxioms: ['A.a'] }],
      ['no allowed axioms and an empty list', { goal: 'p' }, { goal: 'p', allowedAxioms: [] }],
    ];
    for (const [name, a, b] of same) {
      it(`gives one digest despite ${name}`, () => {
        expect(digestOf(a)).to.equal(digestOf(b));
      });
    }
  });

  describe('when two requests differ in what is checked', () => {
    const different: [string, RequestText, RequestText][] = [
      ['the goal', { goal: 'p -> p' }, { goal: 'q -> q' }],
      ['whitespace inside the goal text', { goal: 'p->p' }, { goal: 'p -> p' }],
      ['goal versus statement with the same text', { goal: 'p' }, { statement: 'p' }],
      ['proof versus source with the same text', { statement: 'S', proof: 'x' }, { statement: 'S', source: 'x', theorem: 't' }],
      ['the proof', { statement: 'S', proof: 'a.' }, { statement: 'S', proof: 'b.' }],
      ['the theorem', { statement: 'S', source: 'x', theorem: 't' }, { statement: 'S', source: 'x', theorem: 'u' }],
      ['the allowed axioms', { goal: 'p', allowedAxioms: ['A.a'] }, { goal: 'p' }],
      ['a field boundary', { statement: 'S', proof: 'ab' }, { statement: 'Sa', proof: 'b' }],
    ];
    for (const [name, a, b] of different) {
      it(`gives two digests for ${name}`, () => {
        expect(digestOf(a)).to.not.equal(digestOf(b));
      });
    }

    it('gives two digests for two kernels', () => {
      expect(digestOf({ goal: 'p' })).to.not.equal(digestOf({ goal: 'p' }, `sha256:${'b'.repeat(64)}`));
    });
  });

  it('is a sha256 content address', () => {
    expect(digestOf({ goal: 'p' })).to.match(/^sha256:[0-9a-f]{64}$/);
  });

  it('normalises the text that is checked, not only the digest', () => {
    expect(normaliseRequest({ proof: ' a.\r\nb. ', allowedAxioms: ['z', 'a', 'z'] })).to.deep.equal({ proof: 'a.\nb.', allowedAxioms: ['a', 'z'] });
  });
});
