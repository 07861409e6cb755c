import { expect } from 'chai';
import { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { loadKubeConfig } from '../../fixtures/kube.js';
import { type LeaderElectionTimings, LeaderElector } from '../../../operator/src/runtime/leader-election.js';
import { Relay, createTestClient, createTestNamespace, deleteTestNamespace, kubeConfigVia, testLogger, waitFor } from './runtime-support.js';

// Short timings keep the suite quick; the ratios are the production ones (15 s / 10 s / 2 s).
const timings: LeaderElectionTimings = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 400 };

interface LeaseView {
  metadata: { resourceVersion: string };
  spec: { holderIdentity?: string; leaseTransitions?: number; leaseDurationSeconds?: number };
}

describe('LeaderElector against the real API server', function () {
  this.timeout(60_000);
  let client: KubeClient;
  let namespace: string;
  let leaseName = '';
  let counter = 0;
  const electors: LeaderElector[] = [];

  before(async () => {
    client = createTestClient();
    namespace = await createTestNamespace('election');
  });

  beforeEach(() => {
    counter += 1;
    leaseName = `lease-${counter}`;
  });

  afterEach(async () => {
    await Promise.all(electors.splice(0).map((elector) => elector.stop({ release: false })));
  });

  after(async () => {
    await deleteTestNamespace(client, namespace);
    client.close();
  });

  function campaign(identity: string): { elector: LeaderElector; events: string[] } {
    const elector = new LeaderElector({ client, namespace, name: leaseName, identity, logger: testLogger, timings });
    const events: string[] = [];
    electors.push(elector);
    elector.run({ onStartedLeading: () => events.push('started'), onStoppedLeading: () => events.push('stopped') });
    return { elector, events };
  }

  function readLease(): Promise<LeaseView> {
    return client.request<LeaseView>('GET', `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${leaseName}`);
  }

  it('lets exactly one of two candidates lead, and records it in the Lease', async () => {
    const a = campaign('a');
    const b = campaign('b');
    await waitFor('a leader', () => (a.elector.isLeader() || b.elector.isLeader() ? true : undefined));
    // Let both run a few retry periods: the standby must keep standing by while the leader renews.
    await new Promise((resolve) => setTimeout(resolve, timings.leaseDurationMs + 500));
    const leaders = [a, b].filter((c) => c.elector.isLeader());
    expect(leaders).to.have.length(1);
    const lease = await readLease();
    expect(lease.spec.holderIdentity).to.equal(leaders[0]?.elector.identity);
    expect(lease.spec.leaseDurationSeconds).to.equal(3);
    expect([...a.events, ...b.events]).to.deep.equal(['started']);
  });

  it('hands over at once when the leader releases the lease', async () => {
    const a = campaign('first');
    await waitFor('first leads', () => (a.elector.isLeader() ? true : undefined));
    const b = campaign('second');
    await new Promise((resolve) => setTimeout(resolve, timings.retryPeriodMs * 2));
    expect(b.elector.isLeader()).to.equal(false);
    const released = Date.now();
    await a.elector.stop();
    await waitFor('second leads', () => (b.elector.isLeader() ? true : undefined));
    // Well under the lease duration: the released lease is free at once.
    expect(Date.now() - released).to.be.below(timings.leaseDurationMs);
    expect((await readLease()).spec.leaseTransitions).to.equal(1);
  });

  it('takes over after the lease duration when the leader stops renewing', async () => {
    const a = campaign('crashed');
    await waitFor('crashed leads', () => (a.elector.isLeader() ? true : undefined));
    const b = campaign('survivor');
    const stopped = Date.now();
    await a.elector.stop({ release: false });
    await waitFor('survivor leads', () => (b.elector.isLeader() ? true : undefined), 20_000);
    expect(Date.now() - stopped).to.be.at.least(timings.leaseDurationMs - timings.retryPeriodMs * 2);
    expect((await readLease()).spec.holderIdentity).to.equal('survivor');
  });

  it('stops leading when someone else takes the lease', async () => {
    const a = campaign('usurped');
    await waitFor('usurped leads', () => (a.elector.isLeader() ? true : undefined));
    const lease = await readLease();
    const now = new Date(Date.now() + 60_000).toISOString().replace('Z', '000Z');
    await client.request('PUT', `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${leaseName}`, {
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'usurper', leaseDurationSeconds: 60, renewTime: now, acquireTime: now } },
    });
    await waitFor('usurped steps down', () => (a.events.includes('stopped') ? true : undefined), 20_000);
    expect(a.elector.isLeader()).to.equal(false);
    expect(a.events).to.deep.equal(['started', 'stopped']);
  });

  it('steps down within the renew deadline when the API server becomes unreachable', async () => {
    const server = new URL(loadKubeConfig().getCurrentCluster()?.server ?? '');
    const relay = new Relay({ host: server.hostname, port: Number(server.port) });
    const cut = new KubeClient(kubeConfigVia(await relay.up()));
    const elector = new LeaderElector({ client: cut, namespace, name: leaseName, identity: 'cut-off', logger: testLogger, timings });
    const events: string[] = [];
    electors.push(elector);
    try {
      elector.run({ onStartedLeading: () => events.push('started'), onStoppedLeading: () => events.push('stopped') });
      await waitFor('cut-off leads', () => (elector.isLeader() ? true : undefined));
      const lost = Date.now();
      await relay.down();
      await waitFor('cut-off steps down', () => (events.includes('stopped') ? true : undefined));
      // Before the lease can expire for anyone else: the renew deadline plus one retry period at most.
      expect(Date.now() - lost).to.be.below(timings.renewDeadlineMs + timings.retryPeriodMs * 1.2 + 200);
      const standby = campaign('standby');
      await waitFor('standby takes over', () => (standby.elector.isLeader() ? true : undefined));
    } finally {
      cut.close();
      await relay.down();
    }
  });
});
