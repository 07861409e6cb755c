import { expect } from 'chai';
import { HttpError } from '../../../prover/src/http/errors.js';
import { compileValidators } from '../../../prover/src/http/schemas.js';

const validators = compileValidators(600_000);

function rejectionOf(body: unknown): string | undefined {
  try {
    validators.prove(body);
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(HttpError);
    expect((error as HttpError).status).to.equal(400);
    return (error as HttpError).message;
  }
}

describe('prove body validation', () => {
  describe('when the body is acceptable', () => {
    const accepted: [string, unknown][] = [
      ['a goal alone (automation)', { goal: 'p -> p' }],
      ['a goal with a proof', { goal: 'p -> p', proof: 'exact I.' }],
      ['a statement with a proof', { statement: 'Prov Bot', proof: 'idtac.' }],
      ['a statement with source and theorem', { statement: 'Prov Bot', source: 'Theorem t : True.', theorem: 't' }],
      ['allowed axioms, timeout and request id', { goal: 'p', proof: '', allowedAxioms: ['Coq.Logic.Classical_Prop.classic'], timeoutMs: 1000, requestId: 'abc-1' }],
      ['a proof of exactly 256 KiB', { statement: 'Prov Bot', proof: 'x'.repeat(256 * 1024) }],
    ];
    for (const [name, body] of accepted) {
      it(`accepts ${name}`, () => {
        expect(rejectionOf(body)).to.equal(undefined);
      });
    }
  });

  describe('when the body is not acceptable', () => {
    const rejected: [string, unknown, RegExp][] = [
      ['an array', [], /must be a JSON object/],
      ['a string', 'goal', /must be a JSON object/],
      ['null', null, /must be a JSON object/],
      ['neither goal nor statement', { proof: 'auto.' }, /exactly one of "goal" or "statement"/],
      ['both goal and statement', { goal: 'p', statement: 'Prov Bot' }, /exactly one of "goal" or "statement"/],
      ['both proof and source', { goal: 'p', proof: 'a', source: 'b', theorem: 't' }, /at most one of "proof" or "source"/],
      ['source without theorem', { goal: 'p', source: 'b' }, /"source" and "theorem" must be given together/],
      ['theorem without source', { goal: 'p', theorem: 't' }, /"source" and "theorem" must be given together/],
      ['an unknown field', { goal: 'p', proofs: 'x' }, /unknown field "proofs"/],
      ['a goal that is a number', { goal: 1 }, /goal must be string/],
      ['an empty goal', { goal: '' }, /goal must NOT have fewer than 1 characters/],
      ['a goal over 16 KiB', { goal: 'p'.repeat(16 * 1024 + 1) }, /goal must NOT have more than 16384 characters/],
      ['a proof over 256 KiB', { statement: 'Prov Bot', proof: 'x'.repeat(256 * 1024 + 1) }, /proof must NOT have more than 262144/],
      ['an escaped NUL in the proof', { statement: 'Prov Bot', proof: 'idtac.\u0000' }, /proof must not contain NUL/],
      ['a theorem that is not an identifier', { goal: 'p', source: 's', theorem: 'a b' }, /theorem has an invalid format/],
      ['an axiom that is not a qualified name', { goal: 'p', allowedAxioms: ['a;b'] }, /allowedAxioms\.0 has an invalid format/],
      ['33 allowed axioms', { goal: 'p', allowedAxioms: Array.from({ length: 33 }, (_, i) => `a${i}`) }, /allowedAxioms must NOT have more than 32/],
      ['a fractional timeout', { goal: 'p', timeoutMs: 1.5 }, /timeoutMs must be integer/],
      ['a zero timeout', { goal: 'p', timeoutMs: 0 }, /timeoutMs must be >= 1/],
      ['a timeout beyond the maximum', { goal: 'p', timeoutMs: 600_001 }, /timeoutMs must be <= 600000/],
      ['a request id with spaces', { goal: 'p', requestId: 'a b' }, /requestId has an invalid format/],
      ['nested objects instead of strings', { goal: { a: { b: [] } } }, /goal must be string/],
    ];
    for (const [name, body, message] of rejected) {
      it(`rejects ${name} with a precise message`, () => {
        expect(rejectionOf(body)).to.match(message);
      });
    }
  });
});

describe('countermodel body validation', () => {
  it('accepts a goal', () => {
    expect(validators.countermodel({ goal: 'p' })).to.deep.equal({ goal: 'p' });
  });

  it('rejects a missing goal', () => {
    expect(() => validators.countermodel({})).to.throw(HttpError, /missing field "goal"/);
  });

  it('rejects a proof field', () => {
    expect(() => validators.countermodel({ goal: 'p', proof: 'x' })).to.throw(HttpError, /unknown field "proof"/);
  });
});
