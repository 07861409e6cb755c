import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { Controller, type ReconcileContext, type ReconcileOutcome } from '../../../operator/src/runtime/controller.js';
import { NotFoundError, PermanentError, TransientError } from '../../../operator/src/runtime/errors.js';
import { Informer } from '../../../operator/src/runtime/informer.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { createReconcileMetrics } from '../../../operator/src/runtime/metrics.js';
import { createTestClient, createTestNamespace, deleteTestNamespace, testLogger, waitFor } from './runtime-support.js';

interface ConfigMap {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[] };
  data?: Record<string, string>;
}

describe('Controller against the real API server', function () {
  this.timeout(60_000);
  let client: KubeClient;
  let namespace: string;
  const stoppers: (() => Promise<unknown>)[] = [];

  before(async () => {
    client = createTestClient();
    namespace = await createTestNamespace('controller');
  });

  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
  });

  after(async () => {
    await deleteTestNamespace(client, namespace);
    client.close();
  });

  async function createConfigMap(name: string, data: Record<string, string>, extra: Partial<ConfigMap['metadata']> = {}): Promise<void> {
    await client.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...extra }, data } });
  }

  async function startController(
    labelSelector: string,
    reconcile: (ctx: ReconcileContext) => Promise<ReconcileOutcome | undefined>,
    workers = 2,
  ): Promise<{ controller: Controller<ConfigMap>; registry: Registry; informer: Informer<ConfigMap> }> {
    const informer = new Informer<ConfigMap>({ client, path: `/api/v1/namespaces/${namespace}/configmaps`, labelSelector, logger: testLogger });
    const registry = new Registry();
    const controller = new Controller<ConfigMap>({
      name: 'test',
      primary: informer,
      reconcile,
      logger: testLogger,
      metrics: createReconcileMetrics(registry),
      workers,
      backoff: { baseMs: 20, maxMs: 200 },
    });
    informer.start();
    await informer.waitForSync();
    controller.start();
    stoppers.push(() => informer.stop(), () => controller.stop({ graceMs: 2000 }));
    return { controller, registry, informer };
  }

  async function counterValue(registry: Registry, result: string): Promise<number> {
    const metric = await registry.getSingleMetric('pxl_reconcile_total')?.get();
    return metric?.values.find((v) => v.labels.result === result)?.value ?? 0;
  }

  it('reconciles each created object by key, with the object in the cache', async () => {
    const seen: string[] = [];
    const { informer } = await startController('suite=basic', (ctx) => {
      const object = informer.get(ctx.key);
      if (object === undefined) return Promise.reject(new NotFoundError(ctx.key));
      seen.push(`${ctx.key}=${object.data?.v ?? ''}`);
      return Promise.resolve(undefined);
    });
    await createConfigMap('one', { v: '1' }, { labels: { suite: 'basic' } });
    await waitFor('reconcile', () => (seen.includes(`${namespace}/one=1`) ? true : undefined));
  });

  it('retries transient failures with growing back-off, then succeeds and forgets', async () => {
    const attempts: number[] = [];
    const { registry, controller } = await startController('suite=transient', () => {
      attempts.push(Date.now());
      return attempts.length < 4 ? Promise.reject(new TransientError('not yet')) : Promise.resolve(undefined);
    });
    await createConfigMap('flaky', {}, { labels: { suite: 'transient' } });
    await waitFor('four attempts', () => (attempts.length >= 4 ? true : undefined));
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? t));
    // 20, 40, 80 ms back-off: each gap at least its delay (timers never fire early).
    expect(gaps[0]).to.be.at.least(19);
    expect(gaps[1]).to.be.at.least(39);
    expect(gaps[2]).to.be.at.least(79);
    expect(await counterValue(registry, 'transient_error')).to.equal(3);
    expect(await counterValue(registry, 'success')).to.equal(1);
    expect(controller.queue.countFailures(`${namespace}/flaky`)).to.equal(0);
  });

  it('does not retry permanent failures or objects that are gone', async () => {
    let permanent = 0;
    let gone = 0;
    const { registry } = await startController('suite=permanent', (ctx) => {
      if (ctx.name === 'broken') {
        permanent += 1;
        return Promise.reject(new PermanentError('cannot ever work', { reason: 'Invalid' }));
      }
      gone += 1;
      return Promise.reject(new NotFoundError('gone'));
    });
    await createConfigMap('broken', {}, { labels: { suite: 'permanent' } });
    await createConfigMap('vanished', {}, { labels: { suite: 'permanent' } });
    await waitFor('both reconciled', () => (permanent >= 1 && gone >= 1 ? true : undefined));
    await sleep(300);
    expect([permanent, gone]).to.deep.equal([1, 1]);
    expect(await counterValue(registry, 'permanent_error')).to.equal(1);
    expect(await counterValue(registry, 'not_found')).to.equal(1);
    const text = await registry.metrics();
    expect(text).to.include('pxl_reconcile_duration_seconds_count{controller="test"} 2');
  });

  it('requeues after the delay a reconcile asks for', async () => {
    const times: number[] = [];
    const { registry } = await startController('suite=requeue', () => {
      times.push(Date.now());
      return Promise.resolve(times.length < 3 ? { requeueAfterMs: 100 } : undefined);
    });
    await createConfigMap('periodic', {}, { labels: { suite: 'requeue' } });
    await waitFor('three reconciles', () => (times.length >= 3 ? true : undefined));
    expect((times[1] ?? 0) - (times[0] ?? 0)).to.be.at.least(99);
    expect(await counterValue(registry, 'requeue')).to.equal(2);
  });

  it('works on one key in one worker at a time, even with many workers and many changes', async () => {
    const inFlight = new Set<string>();
    let overlaps = 0;
    const versions: string[] = [];
    const holder: { informer?: Informer<ConfigMap> } = {};
    const { informer } = await startController(
      'suite=exclusive',
      async (ctx) => {
        if (inFlight.has(ctx.key)) overlaps += 1;
        inFlight.add(ctx.key);
        versions.push(holder.informer?.get(ctx.key)?.data?.v ?? '');
        await sleep(15);
        inFlight.delete(ctx.key);
        return undefined;
      },
      4,
    );
    holder.informer = informer;
    await createConfigMap('hot', { v: '0' }, { labels: { suite: 'exclusive' } });
    for (let i = 1; i <= 20; i += 1) {
      await client.request('PATCH', `/api/v1/namespaces/${namespace}/configmaps/hot`, { body: { data: { v: String(i) } }, contentType: 'application/merge-patch+json' });
    }
    // Level-based: whatever was skipped, the final state is reconciled after the last change.
    await waitFor('final state reconciled', () => (versions.at(-1) === '20' ? true : undefined));
    await sleep(100);
    expect(overlaps).to.equal(0);
    expect(versions.at(-1)).to.equal('20');
  });

  it('maps changes of owned objects to their owner key', async () => {
    const seen: string[] = [];
    const { controller } = await startController('suite=owner', (ctx) => {
      seen.push(ctx.key);
      return Promise.resolve(undefined);
    });
    const children = new Informer<ConfigMap>({ client, path: `/api/v1/namespaces/${namespace}/configmaps`, labelSelector: 'suite=child', logger: testLogger });
    controller.owns(children, { apiVersion: 'v1', kind: 'ConfigMap' });
    children.start();
    stoppers.push(() => children.stop());
    await children.waitForSync();
    await createConfigMap('parent', {}, { labels: { suite: 'owner' } });
    const parent = await client.request<{ metadata: { uid: string } }>('GET', `/api/v1/namespaces/${namespace}/configmaps/parent`);
    await waitFor('parent reconciled', () => (seen.includes(`${namespace}/parent`) ? true : undefined));
    const before = seen.length;
    await createConfigMap('child', {}, {
      labels: { suite: 'child' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'parent', uid: parent.metadata.uid, controller: true }],
    });
    await waitFor('owner reconciled again', () => (seen.slice(before).includes(`${namespace}/parent`) ? true : undefined));
    expect(seen).to.not.include(`${namespace}/child`);
  });

  describe('when stopping', () => {
    it('waits for a reconcile in flight within the grace period', async () => {
      let finished = false;
      const { controller } = await startController('suite=graceful', async () => {
        await sleep(300);
        finished = true;
        return undefined;
      });
      await createConfigMap('slow', {}, { labels: { suite: 'graceful' } });
      await sleep(100);
      expect(await controller.stop({ graceMs: 5000 })).to.equal(true);
      expect(finished).to.equal(true);
    });

    it('aborts the reconcile signal when the grace period runs out', async () => {
      let aborted = false;
      const { controller } = await startController('suite=abort', async (ctx) => {
        await new Promise<void>((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        });
        return undefined;
      });
      await createConfigMap('stuck', {}, { labels: { suite: 'abort' } });
      await sleep(200);
      expect(await controller.stop({ graceMs: 100 })).to.equal(true);
      expect(aborted).to.equal(true);
    });
  });
});
