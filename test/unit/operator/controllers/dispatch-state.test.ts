import { expect } from 'chai';
import type { ProofRequest } from '../../../../crds/index.js';
import { LastWritten } from '../../../../operator/src/controllers/proofrequest/fresher.js';
import { WaitingRoom } from '../../../../operator/src/controllers/proofrequest/waiting-room.js';

/** A ProofRequest as the API server sends it: JSON, not client model instances. */
function request(uid: string, resourceVersion: string): ProofRequest {
  const json = JSON.stringify({ apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'ProofRequest', metadata: { name: 'r', namespace: 'n', uid, resourceVersion }, spec: { coreRef: { name: 'core' } } });
  return JSON.parse(json) as ProofRequest;
}

describe('WaitingRoom', () => {
  it('wakes the oldest waiting requests of a core first, each once', () => {
    const room = new WaitingRoom();
    for (const key of ['n/a', 'n/b', 'n/c']) room.enter('n/core', key);
    room.enter('n/other', 'n/x');
    expect(room.wake('n/core', 2)).to.deep.equal(['n/a', 'n/b']);
    expect(room.wake('n/core', 5)).to.deep.equal(['n/c']);
    expect(room.countWaiting('n/core')).to.equal(0);
    expect(room.countWaiting('n/other')).to.equal(1);
  });

  it('keeps retry state per generation only', () => {
    const room = new WaitingRoom();
    room.recordFailure('n/a', { generation: 1, avoid: new Set(['p']), notBefore: 0, attempts: 1, startTime: 't', reason: 'ProverUnreachable', message: 'm' });
    expect(room.findRetry('n/a', 1)?.reason).to.equal('ProverUnreachable');
    expect(room.findRetry('n/a', 2)).to.equal(undefined);
    room.clearRetry('n/a');
    expect(room.findRetry('n/a', 1)).to.equal(undefined);
  });
});

describe('LastWritten', () => {
  const cases = [
    { name: 'the cache is older than the write', cached: request('u', '10'), written: request('u', '12'), expected: '12' },
    { name: 'the cache caught up', cached: request('u', '12'), written: request('u', '12'), expected: '12' },
    { name: 'the cache is newer', cached: request('u', '15'), written: request('u', '12'), expected: '15' },
    { name: 'the object was recreated', cached: request('v', '3'), written: request('u', '12'), expected: '3' },
  ];
  for (const c of cases) {
    it(`when ${c.name}, picks resourceVersion ${c.expected}`, () => {
      const last = new LastWritten();
      last.remember('n/r', c.written);
      expect(last.pick('n/r', c.cached).metadata.resourceVersion).to.equal(c.expected);
    });
  }

  it('forgets a write once the cache has it', () => {
    const last = new LastWritten();
    last.remember('n/r', request('u', '12'));
    last.pick('n/r', request('u', '12'));
    expect(last.pick('n/r', request('u', '10')).metadata.resourceVersion).to.equal('10');
  });
});
