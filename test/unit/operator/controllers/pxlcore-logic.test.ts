import { expect } from 'chai';
import { computeDesiredReplicas } from '../../../../operator/src/controllers/pxlcore/replicas.js';
import { computeCoreConditions, computeCoreStatus, type CoreObservation } from '../../../../operator/src/controllers/pxlcore/status.js';
import { hashConfigMapKernel } from '../../../../operator/src/controllers/pxlcore/kernel-hash.js';
import { createHash } from 'node:crypto';

describe('computeDesiredReplicas', () => {
  const cases = [
    { name: 'autoscaling off', spec: 3, auto: undefined, outstanding: 100, expected: 3 },
    { name: 'spec unset', spec: undefined, auto: undefined, outstanding: 0, expected: 3 },
    { name: 'empty queue', spec: 3, auto: { enabled: true, minReplicas: 1, maxReplicas: 10, targetQueuePerReplica: 4 }, outstanding: 0, expected: 1 },
    { name: 'queue of 9', spec: 3, auto: { enabled: true, minReplicas: 1, maxReplicas: 10, targetQueuePerReplica: 4 }, outstanding: 9, expected: 3 },
    { name: 'queue above max', spec: 3, auto: { enabled: true, minReplicas: 1, maxReplicas: 5, targetQueuePerReplica: 4 }, outstanding: 1000, expected: 5 },
  ];
  for (const c of cases) {
    it(`when ${c.name}, is ${c.expected}`, () => {
      expect(computeDesiredReplicas(c.spec, c.auto, c.outstanding)).to.equal(c.expected);
    });
  }
});

describe('computeCoreConditions', () => {
  const base: CoreObservation = { generation: 2, desiredReplicas: 2, deployment: undefined, selector: 's', kernelHash: undefined, queueDepth: 0, problem: undefined };
  const rolledOut = { metadata: { generation: 1 }, status: { observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 2 } };
  const cases = [
    { name: 'no Deployment yet', obs: base, expected: { Ready: 'False', Progressing: 'True', Degraded: 'False' } },
    { name: 'rolled out', obs: { ...base, deployment: rolledOut }, expected: { Ready: 'True', Progressing: 'False', Degraded: 'False' } },
    { name: 'a secret is missing', obs: { ...base, problem: { reason: 'AuthSecretNotFound', message: 'm' } }, expected: { Ready: 'False', Progressing: 'True', Degraded: 'True' } },
    {
      name: 'the rollout is stuck',
      obs: { ...base, deployment: { status: { readyReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] } } },
      expected: { Ready: 'True', Progressing: 'True', Degraded: 'True' },
    },
  ];
  for (const c of cases) {
    it(`when ${c.name}, reports ${JSON.stringify(c.expected)}`, () => {
      const conditions = Object.fromEntries(computeCoreConditions(c.obs).map((x) => [x.type, x.status]));
      expect(conditions).to.deep.equal(c.expected);
    });
  }

  it('keeps a transition time while the status holds', () => {
    const first = computeCoreStatus(undefined, base, 't1');
    const second = computeCoreStatus(first, base, 't2');
    expect(second.conditions?.map((x) => x.lastTransitionTime)).to.deep.equal(['t1', 't1', 't1']);
    expect(second.ready).to.equal('0/0');
  });
});

describe('hashConfigMapKernel', () => {
  it('hashes path NUL bytes NUL over .v files in byte order', () => {
    const expected = createHash('sha256').update('A.v\0a\0B.v\0b\0').digest('hex');
    expect(hashConfigMapKernel({ 'B.v': 'b', 'A.v': 'a', 'README': 'x' })).to.equal(`sha256:${expected}`);
  });
});
