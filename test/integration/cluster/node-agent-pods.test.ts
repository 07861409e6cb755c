import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CoordinationV1Api, CoreV1Api, KubeConfig, type V1ConfigMap, type V1Container, type V1Pod, type V1Secret,
} from '@kubernetes/client-node';
import { expect } from 'chai';
import { resolveLayout } from '../../cluster/layout.js';
import { toModel, type Plain } from '../../cluster/node-agent/plain.js';
import { isPodReady, waitFor } from '../../fixtures/kube.js';
import { createTestNamespace, loadKubeConfig, type TestNamespace } from '../../fixtures/kube.js';

// These tests run their own agent with one tainted node, so they can kill and restart it
// without disturbing the plane's agent; Pods are bound to that node by name.
interface Clients {
  readonly core: CoreV1Api;
  readonly coordination: CoordinationV1Api;
}

// Made on first use: the kubeconfig exists only once the root hook has brought the plane up.
let connected: Clients | undefined;
function api(): Clients {
  if (connected === undefined) {
    const kubeConfig = loadKubeConfig();
    connected = { core: kubeConfig.makeApiClient(CoreV1Api), coordination: kubeConfig.makeApiClient(CoordinationV1Api) };
  }
  return connected;
}
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const agentEntry = path.join(repoRoot, 'dist', 'test', 'cluster', 'node-agent', 'main.js');
const nodePrefix = `pxl-test-${String(process.pid)}`;
const nodeName = `${nodePrefix}-0`;
const taint = 'pxl.logos.dev/test-agent=true:NoSchedule';

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as Record<string, unknown>;
}

class TestAgent {
  private child: ChildProcess | undefined;
  constructor(readonly stateDir: string) {}

  start(): void {
    this.child = spawn(process.execPath, [
      agentEntry, '--kubeconfig', resolveLayout().kubeconfigPath, '--state-dir', this.stateDir, '--nodes', '1',
      '--node-prefix', nodePrefix, '--register-with-taints', taint, '--repo-root', repoRoot, '--log-level', 'warn',
      // The plane's agent hands out IPs from the bottom of 127.42.0.0/16; this one stays at the top.
      '--pod-cidr', '127.42.240.0/20',
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child?.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}

async function readPod(namespace: string, name: string): Promise<V1Pod> {
  return api().core.readNamespacedPod({ namespace, name });
}

async function waitReady(namespace: string, name: string): Promise<V1Pod> {
  return waitFor(`Pod ${name} Ready`, async () => {
    const pod = await readPod(namespace, name);
    return isPodReady(pod) ? pod : undefined;
  });
}

function echo(extraArgs: string[] = [], extra: Partial<Plain<V1Container>> = {}): Plain<V1Container> {
  return {
    name: 'echo',
    image: 'pxl.test/http-echo:1',
    command: ['/this/path/exists/only/in/an/image'],
    args: ['--listen', '$(POD_IP):8080', ...extraArgs],
    env: [
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1 },
    ...extra,
  };
}

async function createPod(namespace: string, name: string, spec: Omit<Plain<NonNullable<V1Pod['spec']>>, 'nodeName'>): Promise<void> {
  await api().core.createNamespacedPod({
    namespace,
    body: toModel<V1Pod>({
      metadata: { name },
      spec: { terminationGracePeriodSeconds: 5, ...spec, nodeName, tolerations: [{ key: 'pxl.logos.dev/test-agent', operator: 'Exists' }] },
    }),
  });
}

describe('node agent Pods', function () {
  this.timeout(120_000);
  let testNamespace: TestNamespace | undefined;
  let namespace = '';
  let agent: TestAgent;

  before(async () => {
    agent = new TestAgent(await mkdtemp(path.join(os.tmpdir(), 'pxl-agent-test-')));
    agent.start();
    await waitFor('the test node Ready', async () => {
      const node = await api().core.readNode({ name: nodeName }).catch(() => undefined);
      return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true ? true : undefined;
    });
    testNamespace = await createTestNamespace({}, 'agent-pods');
    namespace = testNamespace.name;
  });

  after(async () => {
    await testNamespace?.delete();
    // Let the agent finish the Pods' deletion before it stops, so nothing is left Terminating.
    await waitFor('the test Pods gone', async () => ((await api().core.listNamespacedPod({ namespace })).items.length === 0 ? true : undefined), 30_000)
      .catch(() => undefined);
    await agent.stop('SIGTERM');
    await api().core.deleteNode({ name: nodeName }).catch(() => undefined);
    await api().coordination.deleteNamespacedLease({ name: nodeName, namespace: 'kube-node-lease' }).catch(() => undefined);
    await rm(agent.stateDir, { recursive: true, force: true });
  });

  describe('when a Pod uses env sources, volumes and $(VAR) references', () => {
    it('gives the process the values a kubelet would, with mount paths rewritten to host directories', async () => {
      await api().core.createNamespacedConfigMap({ namespace, body: toModel<V1ConfigMap>({ metadata: { name: 'settings' }, data: { greeting: 'hello', unused: 'x' } }) });
      await api().core.createNamespacedSecret({ namespace, body: toModel<V1Secret>({ metadata: { name: 'creds' }, stringData: { token: 's3cret' } }) });
      const names = ['COMBINED', 'FROM_SECRET_token', 'ABSENT', 'TMPDIR', 'HOME', 'KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'CONFIG_DIR'];
      await createPod(namespace, 'env', {
        volumes: [
          { name: 'config', configMap: { name: 'settings', items: [{ key: 'greeting', path: 'sub/greet.txt' }] } },
          { name: 'tmp', emptyDir: {} },
        ],
        containers: [echo(['--echo-file', '/etc/config/sub/greet.txt', '--echo-env', names.join(',')], {
          env: [
            ...(echo().env ?? []),
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
            { name: 'ABSENT', valueFrom: { configMapKeyRef: { name: 'no-such-map', key: 'k', optional: true } } },
            { name: 'COMBINED', value: '$(GREETING)-$(POD_NAME)-$$(LITERAL)-$(UNDEFINED)' },
            { name: 'CONFIG_DIR', value: '/etc/config/sub' },
          ],
          envFrom: [{ prefix: 'FROM_SECRET_', secretRef: { name: 'creds' } }],
          volumeMounts: [{ name: 'config', mountPath: '/etc/config' }, { name: 'tmp', mountPath: '/tmp' }],
        })],
      });
      const pod = await waitReady(namespace, 'env');
      const answer = await getJson(`http://${pod.status?.podIP ?? ''}:8080/`);
      const podDir = path.join(agent.stateDir, 'pods', pod.metadata?.uid ?? '');
      expect(answer.file).to.equal('hello');
      expect(answer.filePath).to.equal(path.join(podDir, 'volumes', 'config', 'sub', 'greet.txt'));
      expect(answer['env.COMBINED']).to.equal('hello-env-$(LITERAL)-$(UNDEFINED)');
      expect(answer['env.FROM_SECRET_token']).to.equal('s3cret');
      expect(answer['env.ABSENT']).to.equal(null);
      expect(answer['env.CONFIG_DIR']).to.equal(path.join(podDir, 'volumes', 'config', 'sub'));
      expect(answer['env.TMPDIR']).to.equal(path.join(podDir, 'volumes', 'tmp'));
      expect(answer['env.HOME']).to.equal(path.join(podDir, 'home'));
      expect(answer['env.KUBECONFIG']).to.equal(path.join(podDir, 'kubeconfig'));
      expect(answer['env.KUBERNETES_SERVICE_HOST']).to.equal('127.0.0.1');
    });

    it('lets the process authenticate as its ServiceAccount through the written kubeconfig', async () => {
      const pod = await readPod(namespace, 'env');
      const podKube = new KubeConfig();
      podKube.loadFromFile(path.join(agent.stateDir, 'pods', pod.metadata?.uid ?? '', 'kubeconfig'));
      const review = await podKube.makeApiClient(CoreV1Api).listNamespacedPod({ namespace }).then(() => 'allowed', (error: unknown) => String(error));
      // The default ServiceAccount may not list Pods: a 403 names it, which proves the token authenticated.
      expect(review).to.contain(`system:serviceaccount:${namespace}:default`);
    });
  });

  describe('when a container is missing a required Secret', () => {
    it('waits with CreateContainerConfigError naming the Secret', async () => {
      await createPod(namespace, 'no-secret', {
        containers: [echo([], { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'missing', key: 'k' } } }] })],
      });
      const waiting = await waitFor('a waiting reason', async () => (await readPod(namespace, 'no-secret')).status?.containerStatuses?.[0]?.state?.waiting);
      expect(waiting.reason).to.equal('CreateContainerConfigError');
      expect(waiting.message).to.contain('"missing"');
    });
  });

  describe('when containers exit', () => {
    it('restarts a failing container under OnFailure and records its exit code', async () => {
      await createPod(namespace, 'on-failure', { restartPolicy: 'OnFailure', containers: [echo(['--exit-after-ms', '300', '--exit-code', '3'])] });
      const status = await waitFor('a restart', async () => {
        const current = (await readPod(namespace, 'on-failure')).status?.containerStatuses?.[0];
        return (current?.restartCount ?? 0) >= 1 ? current : undefined;
      });
      expect(status.lastState?.terminated?.exitCode).to.equal(3);
    });

    it('ends a Never Pod as Failed with the exit code, and a clean exit as Succeeded', async () => {
      await createPod(namespace, 'never-fails', { restartPolicy: 'Never', containers: [echo(['--exit-after-ms', '200', '--exit-code', '4'])] });
      await createPod(namespace, 'never-succeeds', { restartPolicy: 'Never', containers: [echo(['--exit-after-ms', '200', '--exit-code', '0'])] });
      const failed = await waitFor('phase Failed', async () => {
        const pod = await readPod(namespace, 'never-fails');
        return pod.status?.phase === 'Failed' ? pod : undefined;
      });
      expect(failed.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).to.equal(4);
      expect(failed.status?.containerStatuses?.[0]?.restartCount).to.equal(0);
      await waitFor('phase Succeeded', async () => ((await readPod(namespace, 'never-succeeds')).status?.phase === 'Succeeded' ? true : undefined));
    });

    it('restarts a container whose liveness probe fails', async () => {
      await createPod(namespace, 'liveness', {
        containers: [echo([], { livenessProbe: { httpGet: { path: '/no-such-route', port: 8080 }, periodSeconds: 1, failureThreshold: 2 } })],
      });
      const status = await waitFor('a liveness restart', async () => {
        const current = (await readPod(namespace, 'liveness')).status?.containerStatuses?.[0];
        return (current?.restartCount ?? 0) >= 1 ? current : undefined;
      });
      expect(status.lastState?.terminated).to.not.equal(undefined);
    });
  });

  describe('when the agent is killed and started again', () => {
    it('adopts a live process, kills the process of a Pod deleted meanwhile, and keeps serving', async () => {
      await createPod(namespace, 'survivor', { containers: [echo()] });
      await createPod(namespace, 'doomed', { containers: [echo()] });
      const survivor = await waitReady(namespace, 'survivor');
      const doomed = await waitReady(namespace, 'doomed');
      const survivorPid = Number((await getJson(`http://${survivor.status?.podIP ?? ''}:8080/`)).pid);
      const doomedPid = Number((await getJson(`http://${doomed.status?.podIP ?? ''}:8080/`)).pid);

      await agent.stop('SIGKILL');
      await api().core.deleteNamespacedPod({ namespace, name: 'doomed', gracePeriodSeconds: 0 });
      expect(isProcessAlive(doomedPid)).to.equal(true);
      agent.start();

      await waitFor('the orphan killed', () => Promise.resolve(isProcessAlive(doomedPid) ? undefined : true));
      const after = await waitReady(namespace, 'survivor');
      expect((await getJson(`http://${after.status?.podIP ?? ''}:8080/`)).pid).to.equal(survivorPid);
      expect(after.status?.containerStatuses?.[0]?.restartCount).to.equal(0);
    });
  });

  describe('when a Pod is deleted', () => {
    it('sends SIGTERM, and the Pod disappears once the process has exited', async () => {
      await createPod(namespace, 'deleted', { terminationGracePeriodSeconds: 30, containers: [echo()] });
      const pod = await waitReady(namespace, 'deleted');
      const pid = Number((await getJson(`http://${pod.status?.podIP ?? ''}:8080/`)).pid);
      await api().core.deleteNamespacedPod({ namespace, name: 'deleted' });
      // http-echo exits on SIGTERM, so this returns long before the 30 s grace period would force a SIGKILL.
      await waitFor('the Pod gone', async () => (await readPod(namespace, 'deleted').then(() => undefined, () => true)), 20_000);
      expect(isProcessAlive(pid)).to.equal(false);
      const log = await readFile(path.join(agent.stateDir, 'pods', pod.metadata?.uid ?? '', 'echo.log'), 'utf8');
      expect(log).to.contain('SIGTERM received');
    });
  });

  describe('when the agent is stopped with SIGTERM and started again', () => {
    it('stops the processes, marks the Node and Pod not ready, then restarts the Pod on the same IP', async () => {
      await createPod(namespace, 'resumed', { containers: [echo()] });
      const pod = await waitReady(namespace, 'resumed');
      const pid = Number((await getJson(`http://${pod.status?.podIP ?? ''}:8080/`)).pid);

      await agent.stop('SIGTERM');
      expect(isProcessAlive(pid)).to.equal(false);
      const node = await api().core.readNode({ name: nodeName });
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).to.equal('False');
      const suspended = await readPod(namespace, 'resumed');
      expect(isPodReady(suspended)).to.equal(false);
      expect(suspended.status?.phase).to.equal('Running');

      agent.start();
      const resumed = await waitFor('the Pod running again', async () => {
        const current = await readPod(namespace, 'resumed');
        return isPodReady(current) && (current.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? current : undefined;
      });
      expect(resumed.status?.podIP).to.equal(pod.status?.podIP);
      const answer = await getJson(`http://${resumed.status?.podIP ?? ''}:8080/`);
      expect(answer.pid).to.not.equal(pid);
    });
  });

  describe('when its Node is deleted from the API', () => {
    it('registers the Node again and reports it Ready', async () => {
      const before = await api().core.readNode({ name: nodeName });
      await api().core.deleteNode({ name: nodeName });
      const again = await waitFor('the Node registered again', async () => {
        const node = await api().core.readNode({ name: nodeName }).catch(() => undefined);
        const ready = node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
        return ready && node.metadata?.uid !== before.metadata?.uid ? node : undefined;
      }, 40_000);
      expect(again.spec?.taints?.map((t) => t.key)).to.include('pxl.logos.dev/test-agent');
    });
  });
});
