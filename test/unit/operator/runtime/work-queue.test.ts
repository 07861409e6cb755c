import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { WorkQueue } from '../../../../operator/src/runtime/work-queue.js';

/** Waits `ms`, then takes a key if one is waiting (a racing `get` would leave a getter behind that swallows a key). */
async function takeAfter(queue: WorkQueue, ms: number): Promise<string | undefined> {
  await sleep(ms);
  return queue.tryGet();
}

describe('WorkQueue', () => {
  const cases: { name: string; run: (q: WorkQueue) => Promise<void> }[] = [
    {
      name: 'de-duplicates a key added twice while waiting',
      run: async (q) => {
        q.add('a');
        q.add('a');
        q.add('b');
        expect(q.countWaiting()).to.equal(2);
        expect(await q.get()).to.equal('a');
        expect(await q.get()).to.equal('b');
        expect(await takeAfter(q, 20)).to.equal(undefined);
      },
    },
    {
      name: 'hands keys out first in, first out',
      run: async (q) => {
        for (const key of ['c', 'a', 'b']) q.add(key);
        expect([await q.get(), await q.get(), await q.get()]).to.deep.equal(['c', 'a', 'b']);
      },
    },
    {
      name: 'never hands out a key that is in process, and hands it out again after done',
      run: async (q) => {
        q.add('a');
        expect(await q.get()).to.equal('a');
        q.add('a');
        q.add('a');
        expect(q.countWaiting()).to.equal(0);
        expect(await takeAfter(q, 20)).to.equal(undefined);
        q.done('a');
        expect(await q.get()).to.equal('a');
        q.done('a');
        expect(await takeAfter(q, 20)).to.equal(undefined);
      },
    },
    {
      name: 'wakes a waiting worker when a key arrives',
      run: async (q) => {
        const pending = q.get();
        q.add('x');
        expect(await pending).to.equal('x');
      },
    },
    {
      name: 'grows the per-key back-off exponentially up to the cap',
      run: async (q) => {
        await Promise.resolve();
        const delays = [1, 2, 3, 4, 5, 6].map(() => q.addRateLimited('a'));
        expect(delays).to.deep.equal([5, 10, 20, 40, 40, 40]);
        expect(q.countFailures('a')).to.equal(6);
        expect(q.addRateLimited('b')).to.equal(5);
      },
    },
    {
      name: 'forget resets the back-off of a key',
      run: async (q) => {
        q.addRateLimited('a');
        q.addRateLimited('a');
        q.forget('a');
        expect(q.countFailures('a')).to.equal(0);
        expect(q.addRateLimited('a')).to.equal(5);
        await Promise.resolve();
      },
    },
    {
      name: 'a rate-limited key comes back after its delay',
      run: async (q) => {
        q.addRateLimited('a');
        q.addRateLimited('a');
        expect(q.countDelayed()).to.equal(1);
        expect(await q.get()).to.equal('a');
        expect(q.countDelayed()).to.equal(0);
      },
    },
    {
      name: 'addAfter delays a key and the earliest pending delay wins',
      run: async (q) => {
        const started = Date.now();
        q.addAfter('a', 5000);
        q.addAfter('a', 30);
        q.addAfter('a', 4000);
        expect(await q.get()).to.equal('a');
        const waited = Date.now() - started;
        expect(waited).to.be.at.least(25).and.below(3000);
        q.done('a');
        expect(await takeAfter(q, 60)).to.equal(undefined);
      },
    },
    {
      name: 'addAfter with no delay adds at once',
      run: async (q) => {
        q.addAfter('a', 0);
        expect(q.countWaiting()).to.equal(1);
        await Promise.resolve();
      },
    },
    {
      name: 'shutdown releases waiting workers and drops waiting and delayed keys',
      run: async (q) => {
        const waiting = q.get();
        await q.shutDown();
        expect(await waiting).to.equal(undefined);
        q.add('late');
        q.addAfter('later', 1);
        expect(await q.get()).to.equal(undefined);
        expect(q.countWaiting() + q.countDelayed()).to.equal(0);
      },
    },
    {
      name: 'shutdown drains: it resolves only after the keys in process are done',
      run: async (q) => {
        q.add('a');
        q.add('b');
        expect(await q.get()).to.equal('a');
        q.addAfter('c', 10);
        let drained = false;
        const shutdown = q.shutDown().then(() => { drained = true; });
        await sleep(30);
        expect(drained).to.equal(false);
        expect(await q.get()).to.equal(undefined);
        q.done('a');
        await shutdown;
        expect(drained).to.equal(true);
      },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      await c.run(new WorkQueue({ backoff: { baseMs: 5, maxMs: 40 } }));
    });
  }

  describe('when several workers race over few keys', () => {
    it('never works on one key in two workers at once and processes every add after the last done', async () => {
      const q = new WorkQueue();
      const inFlight = new Set<string>();
      const processedAfterLastAdd = new Map<string, boolean>();
      let overlaps = 0;
      const worker = async () => {
        for (;;) {
          const key = await q.get();
          if (key === undefined) return;
          if (inFlight.has(key)) overlaps += 1;
          inFlight.add(key);
          processedAfterLastAdd.set(key, true);
          await sleep(Math.random() * 3);
          inFlight.delete(key);
          q.done(key);
        }
      };
      const workers = Array.from({ length: 4 }, () => worker());
      for (let i = 0; i < 300; i += 1) {
        const key = `k${i % 5}`;
        processedAfterLastAdd.set(key, false);
        q.add(key);
        if (i % 10 === 0) await sleep(1);
      }
      while (q.countWaiting() > 0 || q.countProcessing() > 0) await sleep(5);
      await q.shutDown();
      await Promise.all(workers);
      expect(overlaps).to.equal(0);
      expect([...processedAfterLastAdd.values()].every(Boolean)).to.equal(true);
    });
  });
});
