import { expect } from 'chai';
import { Registry } from 'prom-client';
import { Applier, operatorFieldManager } from '../../../operator/src/runtime/apply.js';
import { KubeApiError } from '../../../operator/src/runtime/errors.js';
import type { Informer } from '../../../operator/src/runtime/informer.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { Manager } from '../../../operator/src/runtime/manager.js';
import { createTestClient, createTestNamespace, deleteTestNamespace, installCrds, testLogger, waitFor } from './runtime-support.js';

interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace: string; uid?: string; resourceVersion?: string; managedFields?: { manager: string; operation: string }[] };
  data?: Record<string, string>;
}

const timings = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 400 };

async function fetchJson(port: number | undefined, path: string, method = 'GET'): Promise<{ status: number; body: Record<string, unknown> | string }> {
  const res = await fetch(`http://127.0.0.1:${port ?? 0}${path}`, { method });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: text };
  }
}

describe('Manager and Applier against the real API server', function () {
  this.timeout(60_000);
  let client: KubeClient;
  let namespace: string;
  const managers: Manager[] = [];

  before(async () => {
    client = createTestClient();
    await installCrds(client);
    namespace = await createTestNamespace('manager');
  });

  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.stop()));
  });

  after(async () => {
    await deleteTestNamespace(client, namespace);
    client.close();
  });

  function createManager(identity: string, reconciled: string[]): { manager: Manager; informer: Informer<ConfigMap> } {
    const manager = new Manager({
      client: createTestClient(),
      logger: testLogger,
      registry: new Registry(),
      leaderElection: { namespace, name: 'manager-test', identity, timings },
      health: { host: '127.0.0.1', port: 0 },
      shutdownGraceMs: 2000,
    });
    const informer = manager.informer<ConfigMap>({ path: `/api/v1/namespaces/${namespace}/configmaps`, labelSelector: 'suite=manager' });
    manager.controller<ConfigMap>({
      name: 'manager-test',
      primary: informer,
      reconcile: (ctx) => {
        reconciled.push(ctx.key);
        return Promise.resolve(undefined);
      },
    });
    managers.push(manager);
    return { manager, informer };
  }

  describe('when two managers share a lease', () => {
    it('serves health, readiness and metrics, runs controllers only on the leader, and hands over on stop', async () => {
      const firstSeen: string[] = [];
      const secondSeen: string[] = [];
      const first = createManager('first', firstSeen);
      await first.manager.start();
      await waitFor('first leads', () => (first.manager.isLeader() ? true : undefined));
      const second = createManager('second', secondSeen);
      await second.manager.start();

      await client.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'work', namespace, labels: { suite: 'manager' } } },
      });
      await waitFor('leader reconciles', () => (firstSeen.includes(`${namespace}/work`) ? true : undefined));
      expect(secondSeen).to.deep.equal([]);

      const ready = await fetchJson(first.manager.healthPort(), '/readyz');
      expect(ready).to.deep.equal({ status: 200, body: { status: 'ok', role: 'leader', unsyncedCaches: '0' } });
      const standby = await fetchJson(second.manager.healthPort(), '/readyz');
      expect(standby).to.deep.equal({ status: 200, body: { status: 'ok', role: 'standby', unsyncedCaches: '0' } });
      expect((await fetchJson(first.manager.healthPort(), '/healthz')).status).to.equal(200);
      const metrics = await fetchJson(first.manager.healthPort(), '/metrics');
      expect(metrics.body).to.be.a('string').and.to.include('pxl_reconcile_total{controller="manager-test",result="success"}');
      expect(await fetchJson(first.manager.healthPort(), '/nope')).to.deep.include({ status: 404 });
      expect(await fetchJson(first.manager.healthPort(), '/readyz', 'POST')).to.deep.include({ status: 405 });

      await first.manager.stop();
      expect(await first.manager.done).to.equal('requested');
      await waitFor('second leads', () => (second.manager.isLeader() ? true : undefined), 10_000);
      await waitFor('second reconciles the existing object', () => (secondSeen.includes(`${namespace}/work`) ? true : undefined));
    });

    it('stops with leadershipLost when the lease is taken away', async () => {
      const { manager } = createManager('loser', []);
      await manager.start();
      await waitFor('loser leads', () => (manager.isLeader() ? true : undefined));
      const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/manager-test`;
      const lease = await client.request<{ spec: Record<string, unknown> }>('GET', path);
      const later = new Date(Date.now() + 60_000).toISOString().replace('Z', '000Z');
      await client.request('PUT', path, { body: { ...lease, spec: { ...lease.spec, holderIdentity: 'thief', leaseDurationSeconds: 60, renewTime: later } } });
      expect(await manager.done).to.equal('leadershipLost');
      expect(manager.checkReadiness().ready).to.equal(false);
      await client.request('DELETE', path);
    });
  });

  describe('when objects are applied server-side', () => {
    it('owns the fields it states under pxl-operator, forces conflicts, and drops fields it stops stating', async () => {
      const applier = new Applier(client);
      const name = 'applied';
      const base: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { a: '1', b: '2' } };
      const created = await applier.apply(base);
      expect(created.metadata.managedFields?.map((f) => [f.manager, f.operation])).to.deep.equal([[operatorFieldManager, 'Apply']]);
      // A hand edit of a field the operator owns: the next forced apply takes it back (drift reverted).
      await client.request('PATCH', `/api/v1/namespaces/${namespace}/configmaps/${name}`, { body: { data: { a: 'hand-edit' } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'kubectl-edit' } });
      const reverted = await applier.apply(base);
      expect(reverted.data).to.deep.equal({ a: '1', b: '2' });
      const shrunk = await applier.apply({ ...base, data: { a: '1' } });
      expect(shrunk.data).to.deep.equal({ a: '1' });
      expect(await applier.delete(shrunk, { uid: 'not-the-uid' }).catch((err: unknown) => (err as KubeApiError).statusCode)).to.equal(409);
      expect(await applier.delete(shrunk, { uid: shrunk.metadata.uid ?? '' })).to.equal(true);
      expect(await applier.delete(shrunk)).to.equal(false);
    });

    it('applies and patches status through the status subresource, refusing a stale resourceVersion', async () => {
      const applier = new Applier(client);
      const request = {
        apiVersion: 'pxl.logos.dev/v1alpha1',
        kind: 'ProofRequest',
        metadata: { name: 'status-target', namespace },
        spec: { coreRef: { name: 'core' }, goal: 'p -> p' },
      };
      const created = await applier.apply(request) as typeof request & { metadata: { resourceVersion: string } };
      await applier.applyStatus({ ...request, status: { phase: 'Pending', observedGeneration: 1 } });
      const stale = await applier
        .patchStatus(request, { phase: 'Running' }, { resourceVersion: created.metadata.resourceVersion })
        .catch((err: unknown) => err);
      expect(stale).to.be.instanceOf(KubeApiError);
      expect((stale as KubeApiError).statusCode).to.equal(409);
      const live = await applier.get<typeof request & { status: { phase: string } }>(request);
      expect(live?.status.phase).to.equal('Pending');
      await applier.patchStatus(request, { phase: 'Running' });
      expect((await applier.get<typeof request & { status: { phase: string } }>(request))?.status.phase).to.equal('Running');
    });
  });
});
