import { expect } from 'chai';
import { classifyResponse, parseRetryAfter } from '../../../../operator/src/prover-client/classify.js';

describe('classifyResponse', () => {
  const cases = [
    { name: 'a verdict', status: 200, body: { verdict: 'Proved', ok: true }, kind: 'verdict', detail: 'Proved' },
    { name: 'an engine Error', status: 200, body: { verdict: 'Error', ok: false }, kind: 'infra', detail: 'ProverError' },
    { name: 'a 200 without JSON', status: 200, body: undefined, kind: 'infra', detail: 'BadProverResponse' },
    { name: 'a 400', status: 400, body: { error: { code: 'parse_error', message: 'bad' } }, kind: 'verdict', detail: 'Rejected' },
    { name: 'a 413', status: 413, body: { error: { code: 'x', message: 'big' } }, kind: 'verdict', detail: 'Rejected' },
    { name: 'a 401', status: 401, body: undefined, kind: 'infra', detail: 'ProverUnauthorized' },
    { name: 'a 503', status: 503, body: undefined, kind: 'infra', detail: 'ProverBusy' },
    { name: 'a 500', status: 500, body: undefined, kind: 'infra', detail: 'ProverError' },
  ];
  for (const c of cases) {
    it(`when ${c.name}, is ${c.kind} ${c.detail}`, () => {
      const outcome = classifyResponse(c.status, c.body, null);
      expect(outcome.kind).to.equal(c.kind);
      if (outcome.kind === 'verdict') expect(outcome.response.verdict).to.equal(c.detail);
      if (outcome.kind === 'infra') expect(outcome.reason).to.equal(c.detail);
    });
  }

  it('turns an error code into a CamelCase reason', () => {
    const outcome = classifyResponse(400, { error: { code: 'parse_error', message: 'bad' } }, null);
    expect(outcome.kind === 'verdict' ? outcome.response.reason : '').to.equal('ParseError');
  });

  it('reads Retry-After seconds', () => {
    expect(classifyResponse(503, undefined, '2')).to.include({ retryAfterMs: 2000 });
    expect(parseRetryAfter('soon')).to.equal(undefined);
  });
});
