import { readFile } from 'node:fs/promises';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { resolveLayout } from '../../layout.js';
import { pidFilePath } from '../../plane-state.js';
import { createTestNamespace, loadKubeConfig } from '../../../fixtures/kube.js';
import { toModel } from '../plain.js';

/**
 * Measures how long an http-echo Pod takes from create to Ready on the running local plane
 * (scheduler + node agent + readiness probe), and the agent's resident memory. Prints figures;
 * asserts nothing. Usage: node dist/test/cluster/node-agent/bench/pod-start.js [pods=10]
 */

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') === true;
}

async function readRssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8').catch(() => '');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) / 1024;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

async function measureOne(core: CoreV1Api, namespace: string, index: number): Promise<number> {
  const name = `bench-${String(index)}`;
  const started = performance.now();
  await core.createNamespacedPod({
    namespace,
    body: toModel<V1Pod>({
      metadata: { name },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [{
          name: 'echo', image: 'pxl.test/http-echo:1', args: ['--listen', '$(POD_IP):8080'],
          env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 },
        }],
      },
    }),
  });
  for (;;) {
    if (isReady(await core.readNamespacedPod({ namespace, name }))) {
      return performance.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '10');
  const core = loadKubeConfig().makeApiClient(CoreV1Api);
  const namespace = await createTestNamespace({}, 'bench-agent');
  const pid = Number((await readFile(pidFilePath(resolveLayout(), 'node-agent'), 'utf8')).trim());
  const rssBefore = await readRssMiB(pid);
  const latencies: number[] = [];
  for (let index = 0; index < count; index += 1) {
    latencies.push(await measureOne(core, namespace.name, index));
  }
  const rssWith = await readRssMiB(pid);
  await namespace.delete();
  const sorted = [...latencies].sort((a, b) => a - b);
  const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;
  process.stdout.write(`pods: ${String(count)} created one after another (readiness probe period 10 s)\n`);
  process.stdout.write(`create → Ready: median ${fmt(percentile(sorted, 0.5))}, p90 ${fmt(percentile(sorted, 0.9))}, max ${fmt(percentile(sorted, 1))}\n`);
  process.stdout.write(`agent RSS: ${rssBefore?.toFixed(0) ?? '?'} MiB before, ${rssWith?.toFixed(0) ?? '?'} MiB with ${String(count)} Pods running\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`pod-start bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
