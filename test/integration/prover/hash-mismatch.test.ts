import { expect } from 'chai';
import { post, startProver, waitUntil, type ProverProcess } from './prover-process.js';

describe('prover with a kernel hash pin that does not match', function () {
  this.timeout(120_000);
  let prover: ProverProcess;

  before(async () => {
    prover = await startProver(['--sessions', '1', '--expected-hash', `sha256:${'0'.repeat(64)}`], { waitReady: false });
    await waitUntil(() => prover.logs.some((line) => line.msg === 'engine started' || line.msg === 'engine failed to start'), 90_000, 'the engine to start');
  });

  after(async () => {
    await prover.stop();
  });

  it('is live but not ready, naming the mismatch', async () => {
    expect((await fetch(`${prover.url}/health`)).status).to.equal(200);
    const ready = await fetch(`${prover.url}/ready`);
    expect(ready.status).to.equal(503);
    expect(JSON.stringify(await ready.json())).to.match(/hash/i);
  });

  it('fails closed: /prove answers 503 with the reason', async () => {
    const { status, headers, body } = await post(`${prover.url}/prove`, { statement: 'forall p, Prov (Impl (Box p) p)', proof: 'intro p. apply ax_T.' });
    expect(status).to.equal(503);
    expect(headers.get('retry-after')).to.match(/^\d+$/);
    expect(body).to.have.nested.property('error.code', 'NotReady');
    expect((body.error as { message: string }).message).to.match(/hash/i);
  });
});
