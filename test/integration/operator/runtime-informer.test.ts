import { expect } from 'chai';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { Informer } from '../../../operator/src/runtime/informer.js';
import { createTestClient, createTestNamespace, deleteTestNamespace, testLogger, waitFor } from './runtime-support.js';

interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string>; resourceVersion?: string; managedFields?: { manager?: string }[] };
  data?: Record<string, string>;
}

describe('Informer against the real API server', function () {
  this.timeout(60_000);
  let client: KubeClient;
  let namespace: string;
  const informers: Informer<ConfigMap>[] = [];

  before(async () => {
    client = createTestClient();
    namespace = await createTestNamespace('informer');
  });

  afterEach(async () => {
    await Promise.all(informers.splice(0).map((informer) => informer.stop()));
  });

  after(async () => {
    await deleteTestNamespace(client, namespace);
    client.close();
  });

  function startInformer(options: { watchTimeoutSeconds?: number; watchdogMs?: number; labelSelector?: string } = {}): { informer: Informer<ConfigMap>; keys: string[] } {
    const informer = new Informer<ConfigMap>({ client, path: `/api/v1/namespaces/${namespace}/configmaps`, logger: testLogger, restartBackoff: { baseMs: 20, maxMs: 200 }, ...options });
    const keys: string[] = [];
    informer.onChange((key) => keys.push(key));
    informers.push(informer);
    informer.start();
    return { informer, keys };
  }

  function path(name?: string): string {
    return `/api/v1/namespaces/${namespace}/configmaps` + (name === undefined ? '' : `/${name}`);
  }
  async function create(name: string, data: Record<string, string>, labels: Record<string, string> = {}): Promise<void> {
    await client.request('POST', path(), { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data } });
  }
  async function update(name: string, data: Record<string, string>): Promise<void> {
    await client.request('PATCH', path(name), { body: { data }, contentType: 'application/merge-patch+json' });
  }
  async function remove(name: string): Promise<void> {
    await client.request('DELETE', path(name));
  }

  describe('when objects are created, updated and deleted', () => {
    it('lists existing objects on sync and reports every later change as a key', async () => {
      await create('before', { v: '0' });
      const { informer, keys } = startInformer();
      await informer.waitForSync(AbortSignal.timeout(20_000));
      expect(informer.hasSynced()).to.equal(true);
      expect(informer.get(`${namespace}/before`)?.data).to.deep.equal({ v: '0' });

      await create('a', { v: '1' });
      await waitFor('create seen', () => informer.get(`${namespace}/a`));
      await update('a', { v: '2' });
      await waitFor('update seen', () => (informer.get(`${namespace}/a`)?.data?.v === '2' ? true : undefined));
      // managedFields are dropped from listed and watched objects alike, to save memory.
      expect(informer.get(`${namespace}/before`)?.metadata.managedFields).to.equal(undefined);
      // Listed objects carry apiVersion and kind like watched ones.
      expect([informer.get(`${namespace}/before`)?.apiVersion, informer.get(`${namespace}/before`)?.kind]).to.deep.equal(['v1', 'ConfigMap']);
      expect(informer.get(`${namespace}/a`)?.metadata.managedFields).to.equal(undefined);
      await remove('a');
      await waitFor('delete seen', () => (informer.get(`${namespace}/a`) === undefined ? true : undefined));
      expect(keys.filter((key) => key === `${namespace}/a`).length).to.be.at.least(3);
      expect(keys).to.include(`${namespace}/before`);
    });

    it('filters the cache by namespace and labels', async () => {
      await create('red', { v: '1' }, { colour: 'red' });
      await create('blue', { v: '1' }, { colour: 'blue' });
      const { informer } = startInformer();
      await informer.waitForSync();
      expect(informer.list({ labels: { colour: 'red' } }).map((cm) => cm.metadata.name)).to.deep.equal(['red']);
      expect(informer.list({ namespace, labels: { colour: 'blue' } }).map((cm) => cm.metadata.name)).to.deep.equal(['blue']);
      expect(informer.list({ namespace: 'no-such-namespace' })).to.deep.equal([]);
    });

    it('watches only what the label selector admits', async () => {
      const { informer } = startInformer({ labelSelector: 'colour=green' });
      await informer.waitForSync();
      await create('green', { v: '1' }, { colour: 'green' });
      await create('grey', { v: '1' }, { colour: 'grey' });
      await waitFor('green seen', () => informer.get(`${namespace}/green`));
      expect(informer.get(`${namespace}/grey`)).to.equal(undefined);
    });
  });

  describe('when the watch breaks', () => {
    it('resumes after an injected connection error and misses no change made meanwhile', async () => {
      const { informer } = startInformer();
      await informer.waitForSync();
      await create('steady', { v: '1' });
      await waitFor('steady seen', () => informer.get(`${namespace}/steady`));
      informer.interruptWatch(Object.assign(new Error('injected: connection reset'), { code: 'ECONNRESET' }));
      await update('steady', { v: '2' });
      await create('during-outage', { v: '1' });
      await waitFor('update after outage', () => (informer.get(`${namespace}/steady`)?.data?.v === '2' ? true : undefined));
      await waitFor('create after outage', () => informer.get(`${namespace}/during-outage`));
      expect(informer.stats().restarts).to.be.at.least(1);
    });

    it('relists when the watchdog sees no activity and keeps serving changes', async () => {
      // The server would end each watch after an hour; the watchdog gives up after 1.5 s of silence.
      const { informer, keys } = startInformer({ watchTimeoutSeconds: 3600, watchdogMs: 1500 });
      await informer.waitForSync();
      const relistsBefore = informer.stats().relists;
      await waitFor('watchdog relist', () => (informer.stats().relists > relistsBefore ? true : undefined), 15_000);
      await create('after-relist', { v: '1' });
      await waitFor('change after relist', () => informer.get(`${namespace}/after-relist`));
      expect(keys).to.include(`${namespace}/after-relist`);
    });

    it('relists on demand (as on 410 Gone) and keeps serving changes', async () => {
      const { informer } = startInformer();
      await informer.waitForSync();
      await create('kept', { v: '1' });
      await waitFor('kept seen', () => informer.get(`${namespace}/kept`));
      const relistsBefore = informer.stats().relists;
      informer.forceRelist('test');
      await waitFor('relist', () => (informer.stats().relists > relistsBefore ? true : undefined));
      expect(informer.get(`${namespace}/kept`)?.data).to.deep.equal({ v: '1' });
      await update('kept', { v: '2' });
      await waitFor('update after relist', () => (informer.get(`${namespace}/kept`)?.data?.v === '2' ? true : undefined));
    });

    it('after a stop and a start, drops and reports objects deleted while it was stopped', async () => {
      const { informer, keys } = startInformer();
      await informer.waitForSync();
      await create('doomed', { v: '1' });
      await waitFor('doomed seen', () => informer.get(`${namespace}/doomed`));
      await informer.stop();
      await remove('doomed');
      expect(informer.get(`${namespace}/doomed`)).to.not.equal(undefined);
      const notifications = keys.length;
      informer.start();
      await waitFor('deletion noticed', () => (informer.get(`${namespace}/doomed`) === undefined ? true : undefined));
      expect(keys.slice(notifications)).to.include(`${namespace}/doomed`);
    });
  });
});
