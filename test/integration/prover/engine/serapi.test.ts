// The SerAPI backend against a real sertop; skipped, saying so, when sertop is not on PATH.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEngine } from '../../../../prover/src/check/engine.js';
import type { CheckEngine } from '../../../../prover/src/check/types.js';
import { findProgram } from '../../../../prover/src/coq/discover.js';
import { loadCorpus } from '../../../fixtures/proofs/load-corpus.js';

describe('checking engine on the proof corpus (serapi)', function () {
  let engine: CheckEngine | undefined;
  let scratch: string | undefined;

  before(async function () {
    this.timeout(180_000);
    if ((await findProgram(['sertop'])) === undefined) {
      process.stdout.write('    SKIPPED: sertop is not on PATH, the SerAPI backend was not tested against Coq\n');
      this.skip();
    }
    scratch = await mkdtemp(path.join(tmpdir(), 'pxl-serapi-'));
    engine = await startEngine({ backend: 'serapi', sessions: 1, scratchDir: scratch });
  });

  after(async function () {
    await engine?.close();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it('gives every corpus case its expected verdict and reason', async function () {
    this.timeout(600_000);
    if (engine === undefined) this.skip();
    for (const c of loadCorpus()) {
      const outcome = await engine.check(c.request);
      const reason = c.expect.alsoAcceptReasons?.includes(outcome.reason) === true ? c.expect.reason : outcome.reason;
      expect({ verdict: outcome.verdict, reason }, `${c.file}: ${outcome.message}`).to.deep.equal({ verdict: c.expect.verdict, reason: c.expect.reason });
    }
  });
});
