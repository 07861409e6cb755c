import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { restartApiServer, type ApiServerRestart } from '../../cluster/restart.js';
import { createTestNamespace, type TestNamespace } from '../../fixtures/kube.js';
import type { ProofRequest } from '../../../crds/index.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { startOperator, type OperatorProcess } from './operator-process.js';
import { createCore, createRequest, getRequest, waitForReadyCore, waitForVerdict } from './proof-support.js';
import { createClient, ensureCrds, waitFor } from './operator-support.js';

/** What must never change once a generation is decided. */
function fingerprint(request: ProofRequest): string {
  const s = request.status;
  return JSON.stringify([s?.observedGeneration, s?.phase, s?.completionTime, s?.attempts, s?.result?.digest, s?.result?.prover]);
}

function reportLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

describe('operator when the kube-apiserver restarts', function () {
  this.timeout(360_000);
  let client: KubeClient;
  let namespace: TestNamespace;
  let operator: OperatorProcess;
  let restart: ApiServerRestart;
  let first: ProofRequest;

  before(async () => {
    client = createClient();
    await ensureCrds(client);
    namespace = await createTestNamespace({}, 'pxl-apiserver-restart');
    // Leader election is off: an outage longer than the renew deadline (10 s) makes the operator give up its
    // lease and exit by design (its Deployment restarts it); this test is about the informers surviving.
    operator = startOperator(namespace.name, ['--leader-elect', 'false']);
    await createCore(client, namespace.name, 'core', { replicas: 1, sessionsPerReplica: 1 });
    // A core whose image the node agent cannot run: its Deployment shows whether the operator follows a scale.
    await createCore(client, namespace.name, 'idle', { replicas: 1, sessionsPerReplica: 1, image: 'example.invalid/none:0' });
    await waitForReadyCore(client, namespace.name, 'core', 1);
    await createRequest(client, namespace.name, 'before', { coreRef: { name: 'core' }, statement: 'forall p, Prov (Impl (Box p) p)', proof: 'intro p. apply ax_T.' });
    first = await waitForVerdict(client, namespace.name, 'before');
    restart = await restartApiServer({ report: reportLine });
  });

  after(async () => {
    await operator.kill();
    await namespace.delete();
    client.close();
  });

  it('proved the first request before the restart', () => {
    expect(first.status?.phase, JSON.stringify(first.status?.conditions)).to.equal('Proved');
  });

  it('replaced the apiserver process and kept the operator running', () => {
    expect(restart.newPid).to.not.equal(restart.oldPid);
    expect(operator.child.exitCode, `operator log: ${operator.logPath}`).to.equal(null);
  });

  describe('when a request is created after the restart', () => {
    it('is proved by the same operator process', async () => {
      await createRequest(client, namespace.name, 'after', { coreRef: { name: 'core' }, statement: 'forall p q, Prov (Impl (Box (Impl p q)) (Impl (Box p) (Box q)))', proof: 'intros p q. apply ax_K.' });
      const after = await waitForVerdict(client, namespace.name, 'after', 180_000);
      expect(after.status?.phase, JSON.stringify(after.status?.conditions)).to.equal('Proved');
      expect(operator.child.exitCode, `operator log: ${operator.logPath}`).to.equal(null);
    });
  });

  describe('when a core is scaled after the restart', () => {
    it('makes the Deployment follow', async () => {
      const scalePath = `/apis/pxl.logos.dev/v1alpha1/namespaces/${namespace.name}/pxlcores/idle/scale`;
      await client.request('PATCH', scalePath, { body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json' });
      const deploymentPath = `/apis/apps/v1/namespaces/${namespace.name}/deployments/idle`;
      const replicas = await waitFor('the idle Deployment at 2 replicas', async () => {
        const deployment = await client.getOrUndefined<{ spec?: { replicas?: number } }>(deploymentPath);
        return deployment?.spec?.replicas === 2 ? 2 : undefined;
      }, 120_000);
      expect(replicas).to.equal(2);
    });
  });

  describe('when the new work is done', () => {
    it('leaves the first verdict unchanged', async () => {
      expect(fingerprint(await getRequest(client, namespace.name, 'before'))).to.equal(fingerprint(first));
    });

    it('shows in the operator log that its watches broke and were resumed', async () => {
      const log = await readFile(operator.logPath, 'utf8');
      expect(log.split('\n').filter((line) => line.includes('"msg":"watch failed, restarting"'))).to.not.be.empty;
    });
  });
});
