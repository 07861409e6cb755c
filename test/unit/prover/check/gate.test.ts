// The bounded wait queue in front of the sessions.
import { expect } from 'chai';
import { EngineBusyError, Gate, GateClosedError } from '../../../../prover/src/check/gate.js';

describe('Gate', function () {
  describe('when there are free slots', function () {
    it('admits at once', async function () {
      const gate = new Gate(2, 0);
      await gate.enter();
      await gate.enter();
      expect(gate.isFull()).to.equal(true);
    });
  });

  describe('when every slot is taken', function () {
    it('queues up to the limit, then throws EngineBusyError', async function () {
      const gate = new Gate(1, 1);
      await gate.enter();
      let admitted = false;
      const waiting = gate.enter().then(() => {
        admitted = true;
      });
      expect(gate.waiting).to.equal(1);
      let busy: unknown;
      try {
        await gate.enter();
      } catch (error) {
        busy = error;
      }
      expect(busy).to.be.instanceOf(EngineBusyError);
      gate.leave();
      await waiting;
      expect(admitted).to.equal(true);
      expect(gate.waiting).to.equal(0);
    });
  });

  describe('when a waiter is aborted', function () {
    it('leaves the queue with GateClosedError', async function () {
      const gate = new Gate(1, 4);
      await gate.enter();
      const controller = new AbortController();
      const waiting = gate.enter(controller.signal);
      controller.abort();
      let error: unknown;
      try {
        await waiting;
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(GateClosedError);
      expect(gate.waiting).to.equal(0);
    });
  });
});
