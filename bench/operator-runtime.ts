// Benchmark of the operator runtime: work-queue throughput, informer latency and informer memory per object.
// Run with `npm run bench:runtime` (needs the local control plane for the informer part); prints figures, asserts nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { Informer } from '../operator/src/runtime/informer.js';
import { KubeClient } from '../operator/src/runtime/kube-client.js';
import { WorkQueue } from '../operator/src/runtime/work-queue.js';
import { createTestNamespace, loadKubeConfig } from '../test/fixtures/kube.js';

const queueKeys = Number(process.env.BENCH_QUEUE_KEYS ?? 200_000);
const latencyObjects = Number(process.env.BENCH_LATENCY_OBJECTS ?? 300);
const memoryObjects = Number(process.env.BENCH_MEMORY_OBJECTS ?? 10_000);
const logger = pino({ level: 'silent' });

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

async function measureQueue(workers: number, distinctKeys: number): Promise<number> {
  const queue = new WorkQueue();
  let processed = 0;
  const run = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      processed += 1;
      queue.forget(key);
      queue.done(key);
    }
  };
  const started = performance.now();
  const running = Array.from({ length: workers }, () => run());
  for (let i = 0; i < queueKeys; i += 1) {
    queue.add(`ns/key-${i % distinctKeys}`);
    // Yield now and then so workers drain while keys arrive, as informer events do.
    if (i % 1000 === 999) await sleep(0);
  }
  while (queue.countWaiting() > 0 || queue.countProcessing() > 0) await sleep(0);
  const seconds = (performance.now() - started) / 1000;
  await queue.shutDown();
  await Promise.all(running);
  print(`queue  ${String(queueKeys)} adds over ${String(distinctKeys)} keys, ${String(workers)} workers: ${String(processed)} processed, ${Math.round(queueKeys / seconds).toLocaleString('en')} adds/s`);
  return processed;
}

async function createConfigMaps(client: KubeClient, namespace: string, count: number, prefix: string): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      await client.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-${String(i)}`, namespace, labels: { bench: 'runtime' } }, data: { index: String(i) } },
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, () => worker()));
}

async function measureInformer(client: KubeClient): Promise<void> {
  const namespace = (await createTestNamespace({}, 'bench-runtime')).name;
  try {
    const informer = new Informer<{ metadata: { name: string; namespace: string } }>({ client, path: `/api/v1/namespaces/${namespace}/configmaps`, logger });
    const seenAt = new Map<string, number>();
    informer.onChange((key) => { if (!seenAt.has(key)) seenAt.set(key, performance.now()); });
    informer.start();
    await informer.waitForSync();
    const latencies: number[] = [];
    for (let i = 0; i < latencyObjects; i += 1) {
      const started = performance.now();
      const key = `${namespace}/latency-${String(i)}`;
      await client.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `latency-${String(i)}`, namespace } } });
      while (!seenAt.has(key)) await sleep(0);
      latencies.push((seenAt.get(key) ?? started) - started);
    }
    print(`informer create→notification over ${String(latencyObjects)} objects: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`);
    await informer.stop();

    const createStarted = performance.now();
    await createConfigMaps(client, namespace, memoryObjects, 'memory');
    print(`created ${String(memoryObjects)} ConfigMaps in ${((performance.now() - createStarted) / 1000).toFixed(1)} s`);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const big = new Informer<{ metadata: { name: string } }>({ client, path: `/api/v1/namespaces/${namespace}/configmaps`, logger });
    const syncStarted = performance.now();
    big.start();
    await big.waitForSync();
    const syncMs = performance.now() - syncStarted;
    gc?.();
    const after = process.memoryUsage().heapUsed;
    const objects = big.list().length;
    print(`informer sync of ${String(objects)} objects: ${syncMs.toFixed(0)} ms; heap +${((after - before) / 2 ** 20).toFixed(1)} MiB (${((after - before) / objects).toFixed(0)} B/object${gc === undefined ? ', run with --expose-gc for exact figures' : ''})`);
    await big.stop();
  } finally {
    await client.request('DELETE', `/api/v1/namespaces/${namespace}`).catch(() => undefined);
  }
}

await measureQueue(4, queueKeys);
await measureQueue(4, 100);
await measureQueue(1, queueKeys);
if (process.env.BENCH_SKIP_CLUSTER === '1') {
  print('informer: skipped (BENCH_SKIP_CLUSTER=1)');
} else {
  const client = new KubeClient(loadKubeConfig());
  await measureInformer(client);
  client.close();
}
