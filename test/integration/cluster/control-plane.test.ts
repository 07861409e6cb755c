import { readFile, readdir, readlink, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, loadYaml, type V1Deployment } from '@kubernetes/client-node';
import { expect } from 'chai';
import { componentNames } from '../../cluster/components.js';
import { resolveLayout } from '../../cluster/layout.js';
import { pidFilePath } from '../../cluster/plane-state.js';
import { readPidFile } from '../../cluster/processes.js';
import { createTestNamespace, loadKubeConfig, runKubectl } from '../../fixtures/kube.js';
import { runClusterCli } from './cli-process.js';

const layout = resolveLayout();

async function readPids(): Promise<(number | undefined)[]> {
  return Promise.all(componentNames.map((n) => readPidFile(pidFilePath(layout, n))));
}

// Listening TCP sockets (state 0A) of one process, as "hexaddr:hexport" from /proc/net/tcp{,6}.
async function readListeningAddresses(pid: number): Promise<string[]> {
  const fds = await readdir(`/proc/${String(pid)}/fd`).catch(() => []);
  const inodes = new Set<string>();
  for (const fd of fds) {
    const target = await readlink(`/proc/${String(pid)}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match?.[1] !== undefined) inodes.add(match[1]);
  }
  const rows = [
    ...(await readFile(`/proc/${String(pid)}/net/tcp`, 'utf8')).split('\n').slice(1),
    ...(await readFile(`/proc/${String(pid)}/net/tcp6`, 'utf8').catch(() => '')).split('\n').slice(1),
  ];
  return rows.map((r) => r.trim().split(/\s+/)).filter((f) => f[3] === '0A' && inodes.has(f[9] ?? '')).map((f) => f[1] ?? '');
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 150 && !done(value); i++) {
    await sleep(200);
    value = await read();
  }
  return value;
}

describe('the local control plane', () => {
  describe('when up runs while the plane is running', () => {
    it('reuses it twice without restarting any process', async () => {
      const before = await readPids();
      const first = await runClusterCli(['up']);
      const second = await runClusterCli(['up']);
      expect(first.exitCode, first.stderr).to.equal(0);
      expect(second.exitCode, second.stderr).to.equal(0);
      expect(second.stdout).to.contain('reusing the running control plane');
      expect(await readPids()).to.deep.equal(before);
    });
  });

  it('reports every control-plane component running and the apiserver ready through status', async () => {
    const result = await runClusterCli(['status']);
    expect(result.exitCode, result.stdout).to.equal(0);
    for (const name of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      expect(result.stdout).to.match(new RegExp(`^${name}\\s+running\\s+pid \\d+\\s+rss \\d+ MiB`, 'm'));
    }
    expect(result.stdout).to.match(/^apiserver\s+ready/m);
  });

  it('answers ok on /readyz through kubectl and the written kubeconfig, which only its owner may read', async () => {
    const result = await runKubectl(['get', '--raw', '/readyz']);
    expect(result.stdout).to.equal('ok');
    expect((await stat(layout.kubeconfigPath)).mode & 0o077).to.equal(0);
  });

  it('listens on 127.0.0.1 only, in every process it started', async () => {
    const pids = (await readPids()).filter((p): p is number => p !== undefined);
    expect(pids.length).to.be.greaterThanOrEqual(4);
    for (const pid of pids) {
      const addresses = await readListeningAddresses(pid);
      const offLoopback = addresses.filter((a) => !a.startsWith('0100007F:') && !a.startsWith('0000000000000000FFFF00000100007F:'));
      expect(offLoopback, `pid ${String(pid)} listens off loopback`).to.deep.equal([]);
    }
  });

  describe('when a Deployment is created and deleted', () => {
    it('gets a ReplicaSet and Pods from the controller-manager, and the garbage collector removes them', async () => {
      const ns = await createTestNamespace({}, 'gc');
      const apps = loadKubeConfig().makeApiClient(AppsV1Api);
      const deployment = loadYaml<V1Deployment>(JSON.stringify({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
        spec: {
          replicas: 2, selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'pxl/http-echo:test' }] } },
        },
      }));
      await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment });
      const countPods = async (): Promise<number> => {
        const pods = await runKubectl(['get', 'pods', '-n', ns.name, '-l', 'app=web', '-o', 'name']);
        return pods.stdout.split('\n').filter((l) => l !== '').length;
      };
      expect(await waitFor(countPods, (n) => n === 2)).to.equal(2);
      const sets = await apps.listNamespacedReplicaSet({ namespace: ns.name });
      expect(sets.items.map((s) => s.metadata?.ownerReferences?.[0]?.name)).to.deep.equal(['web']);

      await apps.deleteNamespacedDeployment({ name: 'web', namespace: ns.name, propagationPolicy: 'Background' });
      const countSets = async (): Promise<number> => (await apps.listNamespacedReplicaSet({ namespace: ns.name })).items.length;
      expect(await waitFor(countSets, (n) => n === 0), 'ReplicaSets left after the Deployment was deleted').to.equal(0);
      await ns.delete();
    });
  });
});
