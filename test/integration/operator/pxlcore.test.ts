import { expect } from 'chai';
import type { V1Deployment } from '@kubernetes/client-node';
import { createTestNamespace, runKubectl, type TestNamespace } from '../../fixtures/kube.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { startOperator, type OperatorProcess } from './operator-process.js';
import { createCore, getCore } from './proof-support.js';
import { createClient, ensureCrds, waitFor } from './operator-support.js';

/** A plain JSON view of the parts of a Deployment these tests read. */
type DeploymentJson = V1Deployment & { metadata: { resourceVersion: string } };

describe('PxlCore reconciler on the real API server', function () {
  this.timeout(180_000);
  let client: KubeClient;
  let namespace: TestNamespace;
  let operator: OperatorProcess;
  let deploymentPath: string;

  before(async () => {
    client = createClient();
    await ensureCrds(client);
    namespace = await createTestNamespace({}, 'pxl-core');
    operator = startOperator(namespace.name);
    deploymentPath = `/apis/apps/v1/namespaces/${namespace.name}/deployments/core`;
    // No prover needs to run for these tests: an image nobody serves keeps the CPU for the others.
    await createCore(client, namespace.name, 'core', { replicas: 1, image: 'example.invalid/none:0', sessionsPerReplica: 1 });
  });

  after(async () => {
    await operator.kill();
    await namespace.delete();
    client.close();
  });

  async function readDeployment(): Promise<DeploymentJson | undefined> {
    return client.getOrUndefined<DeploymentJson>(deploymentPath);
  }

  it('creates every child with an owner reference to the core', async () => {
    const deployment = await waitFor('the Deployment', readDeployment, 60_000);
    const core = await getCore(client, namespace.name, 'core');
    expect(deployment.metadata.ownerReferences?.[0]).to.include({ kind: 'PxlCore', uid: core.metadata.uid, controller: true });
    const paths = [
      `/api/v1/namespaces/${namespace.name}/serviceaccounts/core-prover`,
      `/api/v1/namespaces/${namespace.name}/secrets/core-token`,
      `/api/v1/namespaces/${namespace.name}/services/core`,
      `/apis/policy/v1/namespaces/${namespace.name}/poddisruptionbudgets/core`,
      `/apis/networking.k8s.io/v1/namespaces/${namespace.name}/networkpolicies/core`,
    ];
    for (const path of paths) await waitFor(path, () => client.getOrUndefined(path), 30_000);
    const policy = await client.request<{ spec: { ingress: { from: Record<string, unknown>[] }[] } }>('GET', paths[4] ?? '');
    expect(policy.spec.ingress[0]?.from[0]).to.have.keys('namespaceSelector', 'podSelector');
  });

  it('keeps the generated token when the operator restarts', async () => {
    const path = `/api/v1/namespaces/${namespace.name}/secrets/core-token`;
    const before = await client.request<{ data: { token: string } }>('GET', path);
    await operator.kill();
    operator = startOperator(namespace.name, ['--leader-elect', 'false']);
    await waitFor('a status written by the new operator', async () => {
      const core = await getCore(client, namespace.name, 'core');
      return core.status?.selector !== undefined ? core : undefined;
    });
    // Give the new process a full reconcile of the core before looking again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = await client.request<{ data: { token: string } }>('GET', path);
    expect(after.data.token).to.equal(before.data.token);
  });

  describe('when scaled with kubectl scale', () => {
    it('changes the Deployment replicas', async () => {
      const result = await runKubectl(['scale', '-n', namespace.name, 'pxlcore/core', '--replicas=3']);
      expect(result.exitCode, result.stderr).to.equal(0);
      const deployment = await waitFor('replicas 3', async () => {
        const d = await readDeployment();
        return d?.spec?.replicas === 3 ? d : undefined;
      }, 30_000);
      expect(deployment.spec?.replicas).to.equal(3);
    });
  });

  describe('when the Deployment is edited by hand', () => {
    it('reverts the drift', async () => {
      await client.request('PATCH', deploymentPath, {
        body: { spec: { replicas: 7, template: { spec: { containers: [{ name: 'prover', image: 'example.invalid/hacked:1' }] } } } },
        contentType: 'application/strategic-merge-patch+json',
      });
      const reverted = await waitFor('the drift reverted', async () => {
        const d = await readDeployment();
        const image = d?.spec?.template.spec?.containers[0]?.image;
        return d?.spec?.replicas === 3 && image === 'example.invalid/none:0' ? d : undefined;
      }, 30_000);
      expect(reverted.spec?.template.spec?.securityContext?.runAsNonRoot).to.equal(true);
    });
  });

  describe('when autoscaling is enabled', () => {
    it('sets the Deployment replicas from the queue without writing the spec', async () => {
      const corePath = `/apis/pxl.logos.dev/v1alpha1/namespaces/${namespace.name}/pxlcores/core`;
      await client.request('PATCH', corePath, {
        body: { spec: { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4, targetQueuePerReplica: 4 } } },
        contentType: 'application/merge-patch+json',
      });
      const deployment = await waitFor('replicas at minReplicas', async () => {
        const d = await readDeployment();
        return d?.spec?.replicas === 2 ? d : undefined;
      }, 30_000);
      expect(deployment.spec?.replicas).to.equal(2);
      expect((await getCore(client, namespace.name, 'core')).spec?.replicas).to.equal(3);
    });
  });
});
