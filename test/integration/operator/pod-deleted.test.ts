import { expect } from 'chai';
import { createTestNamespace, type TestNamespace } from '../../fixtures/kube.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { startOperator, type OperatorProcess } from './operator-process.js';
import { createCore, createRequest, getRequest, waitForReadyCore, waitForVerdict } from './proof-support.js';
import { createClient, ensureCrds, waitFor } from './operator-support.js';

describe('a prover Pod deleted in the middle of a proof', function () {
  this.timeout(300_000);
  let client: KubeClient;
  let namespace: TestNamespace;
  let operator: OperatorProcess;

  before(async () => {
    client = createClient();
    await ensureCrds(client);
    namespace = await createTestNamespace({}, 'pxl-poddel');
    operator = startOperator(namespace.name);
    await createCore(client, namespace.name, 'core', { replicas: 2, sessionsPerReplica: 1 });
    await waitForReadyCore(client, namespace.name, 'core', 2);
  });

  after(async () => {
    await operator.kill();
    await namespace.delete();
    client.close();
  });

  it('retries the proof on another Pod and proves it', async () => {
    // Slow enough (seconds of tactic steps) that the deletion lands while Coq works on it.
    await createRequest(client, namespace.name, 'slow', {
      coreRef: { name: 'core' },
      statement: 'forall p, Prov (Impl (Box p) p)',
      proof: 'do 2000000 idtac. intro p. apply ax_T.',
      timeoutSeconds: 120,
    });
    const running = await waitFor('the request Running', async () => {
      const r = await getRequest(client, namespace.name, 'slow');
      return r.status?.phase === 'Running' ? r : undefined;
    }, 60_000);
    const message = running.status?.conditions?.find((c) => c.type === 'Succeeded')?.message ?? '';
    const victim = /dispatched to prover (\S+)/.exec(message)?.[1];
    expect(victim, message).to.be.a('string');
    await client.request('DELETE', `/api/v1/namespaces/${namespace.name}/pods/${victim ?? ''}`, { body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 } });
    const decided = await waitForVerdict(client, namespace.name, 'slow', 240_000);
    expect(decided.status?.phase, JSON.stringify(decided.status?.conditions)).to.equal('Proved');
    expect(decided.status?.attempts).to.be.at.least(2);
    expect(decided.status?.result?.prover).to.not.equal(victim);
  });
});
