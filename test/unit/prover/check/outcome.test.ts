// Message limits of API §1: each message at most 1 KiB, all at most 8 KiB.
import { expect } from 'chai';
import fc from 'fast-check';
import { trimMessages, truncateUtf8 } from '../../../../prover/src/check/outcome.js';

describe('truncateUtf8', function () {
  it('keeps short text as it is', function () {
    expect(truncateUtf8('short', 1024)).to.equal('short');
  });

  it('never exceeds the byte limit nor splits a character', function () {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.integer({ min: 8, max: 2048 }), (text, limit) => {
        const cut = truncateUtf8(text, limit);
        expect(Buffer.byteLength(cut)).to.be.at.most(limit);
        expect(cut).to.not.include('\uFFFD');
      }),
    );
  });
});

describe('trimMessages', function () {
  describe('when messages are too long and too many', function () {
    it('cuts each to 1 KiB and keeps at most 8 KiB', function () {
      const kept = trimMessages(Array.from({ length: 20 }, () => 'é'.repeat(2000)));
      for (const message of kept) expect(Buffer.byteLength(message)).to.be.at.most(1024);
      expect(Buffer.byteLength(kept.join(''))).to.be.at.most(8192);
      expect(kept.length).to.be.greaterThan(0);
    });
  });
});
