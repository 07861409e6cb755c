import { expect } from 'chai';
import { isDeterministic, trimMessages, truncateUtf8, type Decision } from '../../../prover/src/prove/result.js';

const decision = (verdict: Decision['verdict'], reason: string): Decision => ({ verdict, reason, message: '', statement: '', atoms: {}, assumptions: [], messages: [] });

describe('isDeterministic', () => {
  const cases: [string, Decision, boolean][] = [
    ['Proved', decision('Proved', 'Proved'), true],
    ['Refuted', decision('Refuted', 'Refuted'), true],
    ['Rejected', decision('Rejected', 'ParseError'), true],
    ['Failed by a Coq error', decision('Failed', 'CoqError'), true],
    ['Failed by timeout', decision('Failed', 'Timeout'), false],
    ['Failed because automation found nothing in time', decision('Failed', 'NoDerivationFound'), false],
    ['Error', decision('Error', 'SessionCrashed'), false],
  ];
  for (const [name, value, cacheable] of cases) {
    it(`${cacheable ? 'caches' : 'does not cache'} ${name}`, () => {
      expect(isDeterministic(value)).to.equal(cacheable);
    });
  }
});

describe('trimMessages', () => {
  it('keeps each message within 1 KiB of UTF-8', () => {
    const [message = ''] = trimMessages(['□'.repeat(1000)]);
    expect(Buffer.byteLength(message)).to.be.at.most(1024);
    expect(message.endsWith('…')).to.equal(true);
  });

  it('keeps all messages within 8 KiB and 32 items', () => {
    expect(trimMessages(Array.from({ length: 20 }, () => 'x'.repeat(1000)))).to.have.length(8);
    expect(trimMessages(Array.from({ length: 50 }, () => 'x'))).to.have.length(32);
  });

  it('leaves short messages alone', () => {
    expect(trimMessages(['a', 'b'])).to.deep.equal(['a', 'b']);
  });
});

describe('truncateUtf8', () => {
  it('never splits a character', () => {
    expect(truncateUtf8('ab□□', 7)).to.equal('ab…');
    expect(truncateUtf8('ab□□', 8)).to.equal('ab□□');
  });
});
