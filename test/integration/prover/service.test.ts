import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { verifyAuditLog } from '../../../prover/src/audit/verify-audit.js';
import { post, repoRoot, startProver, type ProverProcess } from './prover-process.js';

const boxK = { statement: 'forall p q, Prov (Impl (Box (Impl p q)) (Impl (Box p) (Box q)))', proof: 'intros p q. apply ax_K.' };

describe('prover HTTP service (real Coq)', function () {
  this.timeout(120_000);
  let prover: ProverProcess;
  let auditFile = '';
  const auth = { authorization: 'Bearer it-token' };

  before(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pxl-service-it-'));
    await writeFile(path.join(dir, 'token'), 'it-token\n');
    auditFile = path.join(dir, 'audit.jsonl');
    prover = await startProver(['--sessions', '2', '--token-file', path.join(dir, 'token'), '--audit-log', auditFile], { dir });
  });

  after(async () => {
    const code = await prover.stop();
    expect(code).to.equal(0);
  });

  describe('when a proof is correct', () => {
    it('answers Proved with the result of API §1', async () => {
      const { status, body } = await post(`${prover.url}/prove`, { ...boxK, requestId: 'it-proved' }, auth);
      expect(status).to.equal(200);
      expect(body).to.include({ verdict: 'Proved', ok: true, cached: false, reason: 'Proved', statement: boxK.statement });
      expect(body.kernelHash).to.match(/^sha256:[0-9a-f]{64}$/);
      expect(body.digest).to.match(/^sha256:[0-9a-f]{64}$/);
      expect(body.assumptions).to.deep.equal([]);
      expect(body.durationMs).to.be.a('number');
    });

    it('answers the same request from the cache', async () => {
      const first = await post(`${prover.url}/prove`, boxK, auth);
      const second = await post(`${prover.url}/prove`, { ...boxK, proof: `  ${boxK.proof}\r\n` }, auth);
      expect(second.body).to.include({ verdict: 'Proved', cached: true, digest: first.body.digest });
    });

    it('proves a goal with a proof and reports its atoms', async () => {
      const { body } = await post(`${prover.url}/prove`, { goal: 'BOX(DIAMOND(Goal(plan_1))) -> DIA(Goal(plan_1))', proof: 'apply ax_T.' }, auth);
      expect(body).to.include({ verdict: 'Proved', statement: 'Prov (Impl (Box (Dia (Atom 0))) (Dia (Atom 0)))' });
      expect(body.atoms).to.deep.equal({ 'Goal(plan_1)': 0 });
    });
  });

  describe('when a goal comes without a proof', () => {
    it('answers Proved when the automatic derivation is accepted by Coq', async () => {
      const { body } = await post(`${prover.url}/prove`, { goal: 'BOX(p -> q) -> (BOX(p) -> BOX(q))' }, auth);
      expect(body).to.include({ verdict: 'Proved', statement: 'Prov (Impl (Box (Impl (Atom 0) (Atom 1))) (Impl (Box (Atom 0)) (Box (Atom 1))))' });
    });

    it('answers Failed NoDerivationFound, never Refuted, for an S5-valid goal the base cannot derive', async () => {
      const { body } = await post(`${prover.url}/prove`, { goal: 'p or not p' }, auth);
      expect(body).to.include({ verdict: 'Failed', reason: 'NoDerivationFound' });
      expect(body.message).to.match(/supply a proof or a source/);
    });
  });

  describe('when a proof is wrong', () => {
    it('answers Failed with Coq\'s message', async () => {
      const { status, body } = await post(`${prover.url}/prove`, { statement: 'forall p, Prov (Impl p (Box p))', proof: 'intro p. apply ax_T.' }, auth);
      expect(status).to.equal(200);
      expect(body).to.include({ verdict: 'Failed', ok: false });
      expect(body.messages).to.be.an('array').that.is.not.empty;
    });
  });

  describe('when the goal is false in S5', () => {
    it('answers Refuted with a countermodel', async () => {
      const { body } = await post(`${prover.url}/prove`, { goal: 'p -> BOX(p)' }, auth);
      expect(body).to.include({ verdict: 'Refuted', ok: false });
      expect(body.countermodel).to.have.keys(['worlds', 'falsifiedAt']);
    });

    it('answers /countermodel with the model and atoms', async () => {
      const { status, body } = await post(`${prover.url}/countermodel`, { goal: 'p -> BOX(p)' }, auth);
      expect(status).to.equal(200);
      expect(body).to.include({ found: true });
      expect(body.atoms).to.deep.equal({ p: 0 });
    });

    it('answers /countermodel found: false for a valid goal', async () => {
      const { body } = await post(`${prover.url}/countermodel`, { goal: 'BOX(p) -> p' }, auth);
      expect(body).to.deep.equal({ found: false, atoms: { p: 0 } });
    });
  });

  describe('when the goal does not parse', () => {
    it('answers Rejected with the line and column', async () => {
      const { body } = await post(`${prover.url}/prove`, { goal: 'p ->\n (q and' }, auth);
      expect(body).to.include({ verdict: 'Rejected', reason: 'ParseError' });
      expect(body.message).to.match(/line 2, column \d+/);
    });

    it('answers /countermodel with 400 ParseError', async () => {
      const { status, body } = await post(`${prover.url}/countermodel`, { goal: 'p ->' }, auth);
      expect(status).to.equal(400);
      expect(body).to.have.nested.property('error.code', 'ParseError');
    });
  });

  describe('when the token is missing or wrong', () => {
    for (const [name, headers] of [['missing', {}], ['wrong', { authorization: 'Bearer nope' }]] as const) {
      it(`answers 401 for a ${name} token`, async () => {
        const { status, headers: answer, body } = await post(`${prover.url}/prove`, boxK, headers);
        expect(status).to.equal(401);
        expect(answer.get('www-authenticate')).to.equal('Bearer');
        expect(body).to.have.nested.property('error.code', 'Unauthorized');
      });
    }
  });

  describe('when the body is too large', () => {
    it('answers 413 with a JSON error', async () => {
      const { status, body } = await post(`${prover.url}/prove`, { ...boxK, proof: 'x'.repeat(1024 * 1024 + 1) }, auth);
      expect(status).to.equal(413);
      expect(body).to.have.nested.property('error.code', 'PayloadTooLarge');
    });
  });

  describe('when the operational routes are read', () => {
    it('serves /health, /ready and /version', async () => {
      expect((await fetch(`${prover.url}/health`)).status).to.equal(200);
      expect(await (await fetch(`${prover.url}/ready`)).json()).to.include({ ready: true });
      const version = (await (await fetch(`${prover.url}/version`)).json()) as Record<string, string>;
      expect(version).to.include.keys(['service', 'backend', 'kernelHash']);
    });

    it('serves the metrics of API §5', async () => {
      const text = await (await fetch(`${prover.url}/metrics`)).text();
      for (const name of ['pxl_prover_checks_total{verdict="Proved"', 'pxl_prover_check_duration_seconds_bucket', 'pxl_prover_sessions{state="idle"}', 'pxl_prover_session_restarts_total', 'process_cpu_seconds_total']) {
        expect(text).to.include(name);
      }
    });

    it('answers 404 and 405 with JSON', async () => {
      const missing = await fetch(`${prover.url}/nope`);
      expect(missing.status).to.equal(404);
      const wrongMethod = await fetch(`${prover.url}/prove`);
      expect(wrongMethod.status).to.equal(405);
      expect(wrongMethod.headers.get('allow')).to.equal('POST');
      expect(await wrongMethod.json()).to.have.nested.property('error.code', 'MethodNotAllowed');
    });
  });

  describe('when checks were answered', () => {
    it('keeps an intact audit chain with one record per check', async () => {
      const verification = await verifyAuditLog(auditFile);
      expect(verification.ok).to.equal(true);
      const lines = (await readFile(auditFile, 'utf8')).trim().split('\n');
      expect(lines).to.have.length(9);
      expect(JSON.parse(lines[0] ?? '{}')).to.include({ requestId: 'it-proved', verdict: 'Proved' });
    });

    it('lets pxl audit-verify name the first tampered record', async () => {
      const lines = (await readFile(auditFile, 'utf8')).trim().split('\n');
      const tampered = path.join(prover.dir, 'tampered.jsonl');
      lines[2] = (lines[2] ?? '').replace(/"verdict":"\w+"/, '"verdict":"Proved"').replace(/"durationMs":\d+/, '"durationMs":123456');
      await writeFile(tampered, lines.join('\n') + '\n');
      const pxl = (file: string) => spawnSync(process.execPath, [path.join(repoRoot, 'bin/pxl.js'), 'audit-verify', file], { encoding: 'utf8' });
      const intact = pxl(auditFile);
      expect(intact.status).to.equal(0);
      expect(intact.stdout).to.match(/^ok: 9 records/);
      const broken = pxl(tampered);
      expect(broken.status).to.equal(1);
      expect(broken.stdout).to.match(/^broken: \S+tampered\.jsonl record 3 hash does not match its content/);
    });

    it('logs one line per check without the token', () => {
      const checks = prover.logs.filter((line) => line.msg === 'check');
      expect(checks).to.have.length(9);
      expect(checks[0]).to.include.keys(['requestId', 'digest', 'verdict', 'reason', 'durationMs', 'backend']);
      expect(JSON.stringify(prover.logs)).to.not.include('it-token');
    });
  });
});
