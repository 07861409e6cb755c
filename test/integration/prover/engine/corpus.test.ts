// Every corpus case through the real coqidetop engine and through coqc: hostile ones never prove.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEngine } from '../../../../prover/src/check/engine.js';
import type { Backend, CheckEngine } from '../../../../prover/src/check/types.js';
import { loadCorpus } from '../../../fixtures/proofs/load-corpus.js';

const corpus = loadCorpus();
const honest = corpus.find((c) => c.name === 'honest-proof-ax-k');

describe('checking engine on the proof corpus', function () {
  it('has at least 30 hostile cases and honest ones', function () {
    expect(corpus.filter((c) => c.category !== 'honest').length).to.be.at.least(30);
    expect(corpus.filter((c) => c.category === 'honest').map((c) => c.expect.verdict)).to.include('Proved');
  });

  for (const backend of ['coqidetop', 'coqc'] as const satisfies readonly Backend[]) {
    describe(`when the backend is ${backend}`, function () {
      let engine: CheckEngine;
      let scratch: string;

      before(async function () {
        this.timeout(180_000);
        scratch = await mkdtemp(path.join(tmpdir(), `pxl-corpus-${backend}-`));
        engine = await startEngine({ backend, sessions: 1, scratchDir: scratch });
        expect(engine.readiness()).to.deep.equal({ ready: true });
      });

      after(async function () {
        await engine.close();
        await rm(scratch, { recursive: true, force: true });
      });

      for (const c of corpus) {
        it(`${c.name} ends ${c.expect.verdict} (${c.expect.reason})`, async function () {
          const outcome = await engine.check(c.request);
          const reason = c.expect.alsoAcceptReasons?.includes(outcome.reason) === true ? c.expect.reason : outcome.reason;
          expect({ verdict: outcome.verdict, reason }, `${c.file}: ${outcome.message} ${outcome.messages.join(' | ')}`).to.deep.equal({
            verdict: c.expect.verdict,
            reason: c.expect.reason,
          });
          expect(outcome.backend).to.equal(backend);
          if (c.expect.messageIncludes !== undefined) expect(outcome.message).to.include(c.expect.messageIncludes);
          if (c.category !== 'honest') {
            // After every hostile case the same engine still proves an honest request.
            const after = await engine.check(honest?.request ?? c.request);
            expect(after.verdict, after.message).to.equal('Proved');
          }
        });
      }
    });
  }
});
