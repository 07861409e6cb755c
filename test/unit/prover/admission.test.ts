import { expect } from 'chai';
import { AdmissionGate, BusyError } from '../../../prover/src/prove/admission.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('AdmissionGate', () => {
  describe('when every slot is taken', () => {
    it('queues up to the limit and then throws BusyError', async () => {
      const gate = new AdmissionGate(1, 1);
      const release = deferred();
      const first = gate.run(() => release.promise);
      const second = gate.run(() => Promise.resolve('second'));
      expect([gate.active, gate.waiting]).to.deep.equal([1, 1]);
      let busy: unknown;
      try {
        await gate.run(() => Promise.resolve('third'));
      } catch (error) {
        busy = error;
      }
      expect(busy).to.be.instanceOf(BusyError);
      release.resolve();
      await first;
      expect(await second).to.equal('second');
      expect([gate.active, gate.waiting]).to.deep.equal([0, 0]);
    });

    it('runs at most `slots` at once', async () => {
      const gate = new AdmissionGate(2, 10);
      let running = 0;
      let peak = 0;
      const work = async (): Promise<void> => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
      };
      await Promise.all(Array.from({ length: 8 }, () => gate.run(work)));
      expect(peak).to.equal(2);
    });
  });

  describe('when a waiting request is aborted', () => {
    it('leaves the queue and rejects', async () => {
      const gate = new AdmissionGate(1, 5);
      const release = deferred();
      const first = gate.run(() => release.promise);
      const controller = new AbortController();
      const waiting = gate.run(() => Promise.resolve(), controller.signal);
      controller.abort(new Error('client left'));
      let failure: unknown;
      try {
        await waiting;
      } catch (error) {
        failure = error;
      }
      expect(String(failure)).to.match(/client left/);
      expect(gate.waiting).to.equal(0);
      release.resolve();
      await first;
      expect(gate.active).to.equal(0);
    });
  });

  describe('when the work throws', () => {
    it('frees the slot', async () => {
      const gate = new AdmissionGate(1, 0);
      let failure: unknown;
      try {
        await gate.run(() => Promise.reject(new Error('boom')));
      } catch (error) {
        failure = error;
      }
      expect(String(failure)).to.match(/boom/);
      expect(await gate.run(() => Promise.resolve(7))).to.equal(7);
    });
  });
});
