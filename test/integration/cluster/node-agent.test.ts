import {
  AppsV1Api, CoordinationV1Api, CoreV1Api, type V1Container, type V1Deployment, type V1Pod,
} from '@kubernetes/client-node';
import { expect } from 'chai';
import { toModel, type Plain } from '../../cluster/node-agent/plain.js';
import { isPodReady, waitFor } from '../../fixtures/kube.js';
import { createTestNamespace, loadKubeConfig, type TestNamespace } from '../../fixtures/kube.js';

interface Clients {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly coordination: CoordinationV1Api;
}

// Made on first use: the kubeconfig exists only once the root hook has brought the plane up.
let connected: Clients | undefined;
function api(): Clients {
  if (connected === undefined) {
    const kubeConfig = loadKubeConfig();
    connected = {
      core: kubeConfig.makeApiClient(CoreV1Api), apps: kubeConfig.makeApiClient(AppsV1Api), coordination: kubeConfig.makeApiClient(CoordinationV1Api),
    };
  }
  return connected;
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as Record<string, unknown>;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const echoContainer: Plain<V1Container> = {
  name: 'echo',
  image: 'pxl.test/http-echo:1',
  args: ['--listen', '$(POD_IP):8080'],
  env: [
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ],
  ports: [{ name: 'http', containerPort: 8080 }],
  readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
};

function buildEchoDeployment(namespace: string, replicas: number): V1Deployment {
  return toModel<V1Deployment>({
    metadata: { name: 'echo', namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'echo' } },
      template: { metadata: { labels: { app: 'echo' } }, spec: { terminationGracePeriodSeconds: 5, containers: [echoContainer] } },
    },
  });
}

async function listPods(namespace: string, labelSelector?: string): Promise<V1Pod[]> {
  return (await api().core.listNamespacedPod({ namespace, ...(labelSelector === undefined ? {} : { labelSelector }) })).items;
}

describe('node agent', function () {
  this.timeout(120_000);

  describe('when the plane is up', () => {
    it('registers Ready nodes with room for prover Pods and renews their Leases', async () => {
      const nodes = (await api().core.listNode({ labelSelector: 'pxl.logos.dev/node-agent=true' })).items;
      expect(nodes.map((node) => node.metadata?.name)).to.include.members(['pxl-node-0', 'pxl-node-1']);
      for (const node of nodes) {
        const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
        expect(ready?.status, node.metadata?.name).to.equal('True');
        expect(node.metadata?.labels?.['kubernetes.io/os']).to.equal('linux');
        expect(Number(node.status?.allocatable?.cpu)).to.be.at.least(6);
        expect(node.status?.addresses).to.deep.include({ type: 'InternalIP', address: '127.0.0.1' });
        const lease = await api().coordination.readNamespacedLease({ name: node.metadata?.name ?? '', namespace: 'kube-node-lease' });
        const age = Date.now() - new Date(lease.spec?.renewTime ?? 0).getTime();
        expect(age, 'lease age in ms').to.be.below(30_000);
      }
    });
  });

  describe('when a Deployment of the http-echo image is created', () => {
    let testNamespace: TestNamespace;
    let namespace = '';
    before(async () => {
      testNamespace = await createTestNamespace({}, 'agent-deploy');
      namespace = testNamespace.name;
      await api().apps.createNamespacedDeployment({ namespace, body: buildEchoDeployment(namespace, 2) });
    });
    after(async () => {
      await testNamespace.delete();
    });

    it('gets two Ready Pods on loopback IPs that answer HTTP with their own name', async () => {
      const pods = await waitFor('two Ready echo Pods', async () => {
        const ready = (await listPods(namespace, 'app=echo')).filter(isPodReady);
        return ready.length === 2 ? ready : undefined;
      });
      for (const pod of pods) {
        const ip = pod.status?.podIP ?? '';
        expect(ip).to.match(/^127\.42\.\d+\.\d+$/);
        const answer = await getJson(`http://${ip}:8080/`);
        expect(answer.pod).to.equal(pod.metadata?.name);
        expect(pod.status?.containerStatuses?.[0]?.state?.running).to.not.equal(undefined);
      }
      expect(new Set(pods.map((pod) => pod.status?.podIP)).size).to.equal(2);
    });

    it('lets the Deployment controller count both replicas as available', async () => {
      await waitFor('availableReplicas 2', async () => {
        const deployment = await api().apps.readNamespacedDeployment({ name: 'echo', namespace });
        return deployment.status?.availableReplicas === 2 ? true : undefined;
      });
    });

    it('stops the processes when scaled to zero', async () => {
      const pods = (await listPods(namespace, 'app=echo')).filter(isPodReady);
      const pids = await Promise.all(pods.map(async (pod) => Number((await getJson(`http://${pod.status?.podIP ?? ''}:8080/`)).pid)));
      expect(pids).to.have.length(2);
      expect(pids.every(isProcessAlive)).to.equal(true);
      await api().apps.patchNamespacedDeploymentScale(
        { name: 'echo', namespace, body: [{ op: 'replace', path: '/spec/replicas', value: 0 }] },
      );
      await waitFor('no echo Pods', async () => ((await listPods(namespace, 'app=echo')).length === 0 ? true : undefined));
      expect(pids.filter(isProcessAlive)).to.deep.equal([]);
    });
  });

  describe('when a Pod names an image the agent cannot run', () => {
    let testNamespace: TestNamespace;
    let namespace = '';
    before(async () => {
      testNamespace = await createTestNamespace({}, 'agent-image');
      namespace = testNamespace.name;
    });
    after(async () => {
      await testNamespace.delete();
    });

    it('shows ErrImagePull with a message naming the image, and the Pod stays unready', async () => {
      await api().core.createNamespacedPod({
        namespace,
        body: toModel<V1Pod>({ metadata: { name: 'unknown' }, spec: { containers: [{ name: 'main', image: 'registry.example/team/unknown:1.0' }] } }),
      });
      const waiting = await waitFor('a waiting reason', async () => {
        const pod = await api().core.readNamespacedPod({ name: 'unknown', namespace });
        return pod.status?.containerStatuses?.[0]?.state?.waiting;
      });
      expect(waiting.reason).to.equal('ErrImagePull');
      expect(waiting.message).to.contain('registry.example/team/unknown:1.0').and.to.contain('not known');
      const pod = await api().core.readNamespacedPod({ name: 'unknown', namespace });
      expect(pod.status?.phase).to.equal('Pending');
      expect(isPodReady(pod)).to.equal(false);
    });
  });

  describe('when a namespace enforces the restricted Pod Security Standard', () => {
    let testNamespace: TestNamespace;
    let namespace = '';
    before(async () => {
      testNamespace = await createTestNamespace({ 'pod-security.kubernetes.io/enforce': 'restricted' }, 'agent-restricted');
      namespace = testNamespace.name;
    });
    after(async () => {
      await testNamespace.delete();
    });

    it('runs a compliant Pod to Ready', async () => {
      await api().core.createNamespacedPod({
        namespace,
        body: toModel<V1Pod>({
          metadata: { name: 'compliant' },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              ...echoContainer,
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            }],
          },
        }),
      });
      const pod = await waitFor('a Ready compliant Pod', async () => {
        const current = await api().core.readNamespacedPod({ name: 'compliant', namespace });
        return isPodReady(current) ? current : undefined;
      });
      const answer = await getJson(`http://${pod.status?.podIP ?? ''}:8080/ready`);
      expect(answer.pod).to.equal('compliant');
    });
  });
});
