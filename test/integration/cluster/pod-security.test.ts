import { ApiException, CoreV1Api, loadYaml, type V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { createTestNamespace, loadKubeConfig, type TestNamespace } from '../../fixtures/kube.js';

const restrictedContainer = {
  name: 'app', image: 'pxl/http-echo:test',
  securityContext: {
    allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000,
    capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
  },
};

function buildPod(name: string, spec: object): V1Pod {
  return loadYaml<V1Pod>(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec }));
}

const rejected = [
  { name: 'privileged', spec: { containers: [{ name: 'app', image: 'pxl/http-echo:test', securityContext: { privileged: true } }] }, reason: 'privileged' },
  { name: 'host-network', spec: { hostNetwork: true, containers: [restrictedContainer] }, reason: 'host namespaces' },
  { name: 'root-allowed', spec: { containers: [{ name: 'app', image: 'pxl/http-echo:test' }] }, reason: 'runAsNonRoot' },
] as const;

function readStatusMessage(body: unknown): string {
  const status: unknown = typeof body === 'string' ? JSON.parse(body) : body;
  return (status as { message?: string }).message ?? '';
}

async function createPod(core: CoreV1Api, namespace: string, pod: V1Pod): Promise<unknown> {
  return core.createNamespacedPod({ namespace, body: pod, dryRun: 'All' }).then(() => undefined, (e: unknown) => e);
}

describe('PodSecurity admission on the local control plane', () => {
  let core: CoreV1Api;
  let restricted: TestNamespace;
  let unlabelled: TestNamespace;

  before(async () => {
    core = loadKubeConfig().makeApiClient(CoreV1Api);
    restricted = await createTestNamespace({ 'pod-security.kubernetes.io/enforce': 'restricted' }, 'psa');
    unlabelled = await createTestNamespace({}, 'psa-open');
  });

  after(async () => {
    await restricted.delete();
    await unlabelled.delete();
  });

  describe('when the namespace enforces restricted', () => {
    for (const { name, spec, reason } of rejected) {
      it(`rejects a ${name} Pod with 403 naming ${reason}`, async () => {
        const error = await createPod(core, restricted.name, buildPod(name, spec));
        expect(error).to.be.instanceOf(ApiException);
        const { code, body } = error as ApiException<unknown>;
        expect(code).to.equal(403);
        expect(readStatusMessage(body)).to.contain('violates PodSecurity "restricted:latest"').and.to.contain(reason);
      });
    }

    it('admits a Pod that meets the restricted profile', async () => {
      expect(await createPod(core, restricted.name, buildPod('compliant', { containers: [restrictedContainer] }))).to.equal(undefined);
    });
  });

  describe('when the namespace has no Pod Security label', () => {
    it('admits the privileged Pod, so the rejection above is the label\'s doing', async () => {
      const privileged = rejected[0];
      expect(await createPod(core, unlabelled.name, buildPod(privileged.name, privileged.spec))).to.equal(undefined);
    });
  });
});
