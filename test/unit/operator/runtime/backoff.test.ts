import { expect } from 'chai';
import { computeBackoffMs, defaultQueueBackoff } from '../../../../operator/src/runtime/backoff.js';

describe('computeBackoffMs', () => {
  const cases = [
    { name: 'first retry waits the base', failures: 0, want: 5 },
    { name: 'second retry doubles', failures: 1, want: 10 },
    { name: 'third retry doubles again', failures: 2, want: 20 },
    { name: 'tenth failure', failures: 10, want: 5120 },
    { name: 'last step below the cap', failures: 15, want: 163_840 },
    { name: 'first step over the cap is capped at 5 min', failures: 16, want: 300_000 },
    { name: 'huge counts stay at the cap', failures: 10_000, want: 300_000 },
    { name: 'negative counts wait the base', failures: -3, want: 5 },
    { name: 'NaN waits the base', failures: Number.NaN, want: 5 },
    { name: 'fractions round down', failures: 1.9, want: 10 },
  ] as const;
  for (const c of cases) {
    it(`${c.name} (${c.failures} → ${c.want} ms)`, () => {
      expect(computeBackoffMs(c.failures, defaultQueueBackoff)).to.equal(c.want);
    });
  }

  describe('when the options are custom', () => {
    it('uses their base and cap', () => {
      const got = [0, 1, 2, 3, 4].map((n) => computeBackoffMs(n, { baseMs: 100, maxMs: 500 }));
      expect(got).to.deep.equal([100, 200, 400, 500, 500]);
    });
  });
});
