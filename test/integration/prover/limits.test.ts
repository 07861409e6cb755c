import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { post, startProver, type ProverProcess } from './prover-process.js';

/** The pids whose parent is `pid` (Linux /proc). */
async function listChildren(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return children;
}

// An Ltac loop that never ends: the check runs until its timeout.
const slow = { statement: 'Prov (Impl Bot Bot)', proof: 'let rec loop n := loop (S n) in loop 0.', timeoutMs: 3000 };
const honest = { statement: 'forall p, Prov (Impl (Box p) p)', proof: 'intro p. apply ax_T.' };

describe('prover limits (one session, no wait queue)', function () {
  this.timeout(120_000);
  let prover: ProverProcess;

  before(async () => {
    prover = await startProver(['--sessions', '1', '--queue', '0', '--cache-size', '0', '--shutdown-timeout-ms', '10000']);
  });

  after(async () => {
    await prover.stop();
  });

  describe('when the only session is busy', () => {
    it('answers 503 with Retry-After, then proves the next honest request', async () => {
      const running = post(`${prover.url}/prove`, slow);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const busy = await post(`${prover.url}/prove`, honest);
      expect(busy.status).to.equal(503);
      expect(busy.headers.get('retry-after')).to.match(/^\d+$/);
      expect(busy.body).to.have.nested.property('error.code', 'Busy');
      const timedOut = await running;
      expect(timedOut.body).to.include({ verdict: 'Failed', reason: 'Timeout' });
      const after = await post(`${prover.url}/prove`, honest);
      expect(after.body).to.include({ verdict: 'Proved' });
      const metrics = await (await fetch(`${prover.url}/metrics`)).text();
      expect(metrics).to.match(/^pxl_prover_session_restarts_total\{reason="timeout"\} 1$/m);
      expect(metrics).to.match(/^pxl_prover_checks_total\{verdict="Failed",backend="\w+"\} 1$/m);
    });
  });

  describe('when SIGTERM arrives during a check', () => {
    it('finishes the check, stops every Coq process and exits 0', async () => {
      const running = post(`${prover.url}/prove`, { ...slow, timeoutMs: 2000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const coqProcesses = await listChildren(prover.child.pid ?? 0);
      expect(coqProcesses).to.not.be.empty;
      const exited = prover.stop();
      const answer = await running;
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include({ verdict: 'Failed', reason: 'Timeout' });
      expect(await exited).to.equal(0);
      const alive = coqProcesses.filter((pid) => existsSync(`/proc/${pid}`));
      expect(alive, 'Coq processes left behind').to.deep.equal([]);
    });
  });
});
