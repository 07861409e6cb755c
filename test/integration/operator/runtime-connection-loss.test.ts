import { expect } from 'chai';
import { Informer } from '../../../operator/src/runtime/informer.js';
import { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { loadKubeConfig } from '../../fixtures/kube.js';
import { Relay, createTestClient, createTestNamespace, deleteTestNamespace, kubeConfigVia, testLogger, waitFor } from './runtime-support.js';

interface ConfigMap {
  metadata: { name: string; namespace: string };
}

describe('Informer when its connection to the API server is lost', function () {
  this.timeout(60_000);
  let direct: KubeClient;
  let namespace: string;

  before(async () => {
    direct = createTestClient();
    namespace = await createTestNamespace('connection-loss');
  });

  after(async () => {
    await deleteTestNamespace(direct, namespace);
    direct.close();
  });

  async function createConfigMap(name: string): Promise<void> {
    await direct.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } } });
  }

  it('reconnects with back-off once the server is back and misses nothing made during the outage', async () => {
    const server = new URL(loadKubeConfig().getCurrentCluster()?.server ?? '');
    const relay = new Relay({ host: server.hostname, port: Number(server.port) });
    const client = new KubeClient(kubeConfigVia(await relay.up()));
    const informer = new Informer<ConfigMap>({ client, path: `/api/v1/namespaces/${namespace}/configmaps`, logger: testLogger, restartBackoff: { baseMs: 100, maxMs: 1000 } });
    try {
      informer.start();
      await informer.waitForSync();
      await createConfigMap('before');
      await waitFor('before seen', () => informer.get(`${namespace}/before`));

      await relay.down();
      await waitFor('the failure noticed', () => (informer.stats().restarts > 0 ? true : undefined));
      await createConfigMap('during');
      // Several refused reconnects: the back-off keeps trying without a hot loop.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const restartsWhileDown = informer.stats().restarts;
      expect(restartsWhileDown).to.be.within(2, 12);
      expect(informer.get(`${namespace}/during`)).to.equal(undefined);

      await relay.up();
      await waitFor('during seen after reconnect', () => informer.get(`${namespace}/during`), 20_000);
      await createConfigMap('after');
      await waitFor('after seen', () => informer.get(`${namespace}/after`));
    } finally {
      await informer.stop();
      client.close();
      await relay.down();
    }
  });
});
