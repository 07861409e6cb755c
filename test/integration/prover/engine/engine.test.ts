// Engine behaviour against real Coq: isolation, crashes, the wait queue, cancellation and the kernel gate.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEngine } from '../../../../prover/src/check/engine.js';
import type { CheckEngine, CheckRequest } from '../../../../prover/src/check/types.js';
import { builtinKernelDir } from '../../../../prover/src/kernel/compile.js';
import { hashKernelDir } from '../../../../prover/src/kernel/hash.js';

const run = promisify(execFile);
const statementK = 'forall p q, Prov (Impl (Box (Impl p q)) (Impl (Box p) (Box q)))';
const honest: CheckRequest = { statement: statementK, proof: 'intros p q. apply ax_K.', allowedAxioms: [], timeoutMs: 20_000 };
const endless = (timeoutMs: number): CheckRequest => ({ statement: statementK, proof: 'do 1000000000 idtac.', allowedAxioms: [], timeoutMs });

/** The pids of the coqidetop processes this test process started. */
async function findSessionPids(): Promise<number[]> {
  try {
    const { stdout } = await run('pgrep', ['-P', String(process.pid), '-f', 'coqidetop']);
    return stdout.split('\n').filter((l) => l !== '').map(Number);
  } catch {
    return [];
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('checking engine behaviour (coqidetop)', function () {
  let engine: CheckEngine;
  let scratch: string;

  before(async function () {
    this.timeout(120_000);
    scratch = await mkdtemp(path.join(tmpdir(), 'pxl-engine-'));
    engine = await startEngine({ backend: 'coqidetop', sessions: 1, maxQueue: 1, scratchDir: scratch });
  });

  after(async function () {
    await engine.close();
    await rm(scratch, { recursive: true, force: true });
  });

  describe('when a request defines a tactic', function () {
    it('the next request cannot use it', async function () {
      const first = await engine.check({ ...honest, proof: 'Ltac pxl_leak := apply ax_K. intros p q.' });
      expect(first.reason).to.equal('Incomplete');
      const second = await engine.check({ ...honest, proof: 'intros p q. pxl_leak.' });
      expect(second.verdict).to.equal('Failed');
      expect(second.reason).to.equal('CoqError');
    });
  });

  describe('when a request loaded a source document', function () {
    it('the next request cannot reach its constants, even knowing their names', async function () {
      const first = await engine.check({
        statement: 'Prov Bot',
        source: 'From PXLs Require Import PXLv3.\nAxiom cheat : Prov Bot.\nTheorem t : Prov Bot. exact cheat. Qed.\n',
        theorem: 't',
        allowedAxioms: [],
        timeoutMs: 20_000,
      });
      expect(first.reason).to.equal('DisallowedAxiom');
      const leaked = first.assumptions.find((name) => name.endsWith('.cheat'));
      expect(leaked).to.match(/^PXLu\.c[0-9a-f]+\.cheat$/);
      const second = await engine.check({ statement: 'Prov Bot', proof: `exact ${leaked ?? ''}.`, allowedAxioms: [], timeoutMs: 20_000 });
      expect([second.verdict, second.reason]).to.deep.equal(['Failed', 'CoqError']);
      expect(second.messages.join(' ')).to.include('not found');
    });
  });

  describe('when the session process is killed during a check', function () {
    it('the check does not prove and the next honest request proves', async function () {
      const pending = engine.check(endless(6_000));
      await delay(1_000);
      const pids = await findSessionPids();
      expect(pids).to.not.be.empty;
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      const outcome = await pending;
      expect(outcome.verdict).to.equal('Failed');
      expect(engine.sessionRestarts().crash).to.be.at.least(1);
      const next = await engine.check(honest);
      expect(next.verdict, next.message).to.equal('Proved');
    });
  });

  describe('when an idle session dies', function () {
    it('is replaced and the next honest request proves', async function () {
      for (const pid of await findSessionPids()) process.kill(pid, 'SIGKILL');
      await delay(200);
      const next = await engine.check(honest);
      expect(next.verdict, next.message).to.equal('Proved');
    });
  });

  describe('when every session is busy and the queue is full', function () {
    it('answers Error Busy at once and reports queueFull', async function () {
      const running = engine.check(endless(2_500));
      const queued = engine.check(endless(2_500));
      await delay(100);
      expect(engine.queueFull()).to.equal(true);
      expect(engine.queueDepth()).to.equal(1);
      const refused = await engine.check(honest);
      expect([refused.verdict, refused.reason]).to.deep.equal(['Error', 'Busy']);
      expect((await running).reason).to.equal('Timeout');
      expect((await queued).reason).to.equal('Timeout');
      expect(engine.queueFull()).to.equal(false);
    });
  });

  describe('when the caller aborts a check', function () {
    it('ends with Error Cancelled and the engine keeps proving', async function () {
      const controller = new AbortController();
      const pending = engine.check(endless(20_000), controller.signal);
      await delay(500);
      controller.abort();
      const outcome = await pending;
      expect([outcome.verdict, outcome.reason]).to.deep.equal(['Error', 'Cancelled']);
      expect((await engine.check(honest)).verdict).to.equal('Proved');
    });
  });

  describe('when Coq prints a lot', function () {
    it('keeps each message within 1 KiB and all within 8 KiB', async function () {
      const long = Array.from({ length: 150 }, (_, i) => `(Impl (Atom ${i})`).join(' ') + ' Bot' + ')'.repeat(150);
      const outcome = await engine.check({ statement: `Prov ${long}`, proof: 'idtac.', allowedAxioms: [], timeoutMs: 20_000 });
      expect(outcome.reason).to.equal('Incomplete');
      expect(outcome.messages[0]?.endsWith('…')).to.equal(true);
      for (const message of outcome.messages) expect(Buffer.byteLength(message)).to.be.at.most(1024);
      expect(Buffer.byteLength(outcome.messages.join(''))).to.be.at.most(8192);
    });
  });
});

describe('checking engine memory cap (coqidetop, 1 GiB address space)', function () {
  let engine: CheckEngine;
  let scratch: string;

  before(async function () {
    this.timeout(120_000);
    scratch = await mkdtemp(path.join(tmpdir(), 'pxl-memory-'));
    engine = await startEngine({ backend: 'coqidetop', sessions: 1, scratchDir: scratch, memoryKiB: 1024 * 1024 });
  });

  after(async function () {
    await engine.close();
    await rm(scratch, { recursive: true, force: true });
  });

  describe('when a proof allocates without bound', function () {
    it('fails within the cap and the next honest request proves', async function () {
      const bomb = await engine.check({ statement: 'True', proof: 'let x := eval vm_compute in (Nat.pow 2 28) in idtac. exact I.', allowedAxioms: [], timeoutMs: 30_000 });
      expect(bomb.verdict).to.equal('Failed');
      expect(['CoqError', 'ResourceLimit', 'Timeout']).to.include(bomb.reason);
      const next = await engine.check(honest);
      expect(next.verdict, next.message).to.equal('Proved');
    });
  });
});

describe('checking engine session recycling (coqidetop, every 2 checks)', function () {
  it('replaces the session after 2 checks and keeps proving', async function () {
    this.timeout(120_000);
    const scratch = await mkdtemp(path.join(tmpdir(), 'pxl-recycle-'));
    const engine = await startEngine({ backend: 'coqidetop', sessions: 1, scratchDir: scratch, recycleAfterChecks: 2 });
    try {
      for (let i = 0; i < 5; i += 1) {
        const outcome = await engine.check(honest);
        expect(outcome.verdict, outcome.message).to.equal('Proved');
      }
      expect(engine.sessionRestarts().recycle).to.equal(2);
    } finally {
      await engine.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe('checking engine kernel gate', function () {
  let scratch: string;

  beforeEach(async function () {
    scratch = await mkdtemp(path.join(tmpdir(), 'pxl-kernel-'));
  });

  afterEach(async function () {
    await rm(scratch, { recursive: true, force: true });
  });

  describe('when the expected hash does not match', function () {
    it('is not ready and every check is Error KernelHashMismatch', async function () {
      const engine = await startEngine({ backend: 'coqidetop', sessions: 1, scratchDir: scratch, expectedHash: `sha256:${'0'.repeat(64)}` });
      try {
        expect(engine.readiness().ready).to.equal(false);
        expect(engine.readiness().reason).to.include('not the expected');
        const outcome = await engine.check(honest);
        expect([outcome.verdict, outcome.reason]).to.deep.equal(['Error', 'KernelHashMismatch']);
        expect(engine.sessionStates()).to.deep.equal({ idle: 0, busy: 0, starting: 0 });
      } finally {
        await engine.close();
      }
    });
  });

  describe('when a custom kernel assumes an axiom', function () {
    it('is not ready and names the axiom', async function () {
      const kernel = path.join(scratch, 'evil-kernel');
      await mkdir(kernel);
      await writeFile(path.join(kernel, 'PXLv3.v'), 'Axiom everything : forall P : Prop, P.\n');
      const engine = await startEngine({ backend: 'coqc', sessions: 1, scratchDir: path.join(scratch, 'run'), kernelDir: kernel });
      try {
        expect(engine.readiness().reason).to.include('Axiom');
        expect((await engine.check(honest)).reason).to.equal('KernelRejected');
      } finally {
        await engine.close();
      }
    });
  });

  describe('when a custom kernel of two files is given with its expected hash', function () {
    it('compiles them in dependency order and proves against them', async function () {
      const kernel = path.join(scratch, 'kernel');
      await mkdir(kernel);
      await copyFile(path.join(builtinKernelDir(), 'PXLv3.v'), path.join(kernel, 'PXLv3.v'));
      await writeFile(path.join(kernel, 'Extra.v'), 'From PXLs Require Import PXLv3.\nDefinition box_twice (p : form) : form := Box (Box p).\n');
      const expectedHash = await hashKernelDir(kernel);
      const engine = await startEngine({ backend: 'coqidetop', sessions: 1, scratchDir: path.join(scratch, 'run'), kernelDir: kernel, expectedHash });
      try {
        expect(engine.readiness()).to.deep.equal({ ready: true });
        expect(engine.kernelHash).to.equal(expectedHash);
        const outcome = await engine.check({ statement: 'forall p, Prov (Impl (box_twice p) (Box p))', proof: 'intro p. apply ax_T.', allowedAxioms: [], timeoutMs: 20_000 });
        expect(outcome.verdict, outcome.message).to.equal('Proved');
      } finally {
        await engine.close();
      }
    });
  });
});
