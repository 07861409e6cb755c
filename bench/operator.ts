// bench:operator — N ProofRequests at once on a 2-replica core, against the same proofs POSTed straight to
// the prover Pods, plus the operator's memory with many finished ProofRequests in its cache.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProofRequest } from '../crds/index.js';
import { ensureCluster } from '../test/cluster/cluster.js';
import { createTestNamespace } from '../test/fixtures/kube.js';
import { startOperator, type OperatorProcess } from '../test/integration/operator/operator-process.js';
import { createClient, ensureCrds, repoRoot } from '../test/integration/operator/operator-support.js';
import { createCore, finalPhases, listRequests, waitForReadyCore } from '../test/integration/operator/proof-support.js';
import type { KubeClient } from '../operator/src/runtime/kube-client.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '500' }, cached: { type: 'string', default: '10000' }, work: { type: 'string', default: '200000' } },
});
const count = Number(values.count);
/** Tactic steps per proof: 200 000 `idtac`s cost a prover session about 0.17 s, a small real proof. */
const work = Number(values.work);
const cachedObjects = Number(values.cached);
const statement = 'forall p, Prov (Impl (Box p) p)';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

/** Distinct proofs of equal cost: the operator's and the direct run's differ only in tactic order. */
function proofFor(i: number, direct: boolean): string {
  return direct ? `do ${work + i} idtac. intro p. apply ax_T.` : `intro p. do ${work + i} idtac. apply ax_T.`;
}

async function mapConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (;;) {
      const index = next;
      next += 1;
      const item = items[index];
      if (item === undefined) return;
      await work(item, index);
    }
  }));
}

function readRssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 1024;
}

async function runDirect(client: KubeClient, namespace: string, sessions: number): Promise<number> {
  const secret = await client.request<{ data: { token: string } }>('GET', `/api/v1/namespaces/${namespace}/secrets/core-token`);
  const token = Buffer.from(secret.data.token, 'base64').toString('utf8');
  const pods = await client.request<{ items: { status: { podIP: string } }[] }>('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=app.kubernetes.io%2Finstance%3Dcore`);
  // One lane per session, as the operator allows: sessionsPerReplica in flight per Pod.
  const lanes = pods.items.flatMap((pod) => Array.from({ length: sessions }, () => `http://${pod.status.podIP}:8088/prove`));
  const indices = Array.from({ length: count }, (_, i) => i);
  let next = 0;
  const started = performance.now();
  await Promise.all(lanes.map(async (url) => {
    for (;;) {
      const i = indices[next];
      next += 1;
      if (i === undefined) return;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ statement, proof: proofFor(i, true), timeoutMs: 30_000 }),
      });
      const body = (await response.json()) as { verdict?: string };
      if (body.verdict !== 'Proved') throw new Error(`direct check ${i} answered ${response.status} ${JSON.stringify(body)}`);
    }
  }));
  return (performance.now() - started) / 1000;
}

async function runThroughOperator(client: KubeClient, namespace: string): Promise<{ wall: number; latencies: number[] }> {
  const createdAt = new Map<string, number>();
  const started = Date.now();
  await mapConcurrently(Array.from({ length: count }, (_, i) => i), 16, async (i) => {
    const name = `bench-${i}`;
    createdAt.set(name, Date.now());
    await client.request('POST', `/apis/pxl.logos.dev/v1alpha1/namespaces/${namespace}/proofrequests`, {
      body: { apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'ProofRequest', metadata: { name, namespace }, spec: { coreRef: { name: 'core' }, statement, proof: proofFor(i, false) } },
    });
  });
  print(`  created ${count} ProofRequests in ${((Date.now() - started) / 1000).toFixed(2)} s (16 concurrent POSTs)`);
  // Polled slowly on purpose: listing 500 objects every 100 ms costs the API server (and so the provers sharing its
  // two cores) more CPU than the operator itself. The figures come from each status's completionTime, not the poll.
  const done = await pollEvery(2000, 30 * 60_000, async () => {
    const all = await listRequests(client, namespace);
    return all.length === count && all.every((r) => finalPhases.has(r.status?.phase ?? '')) ? all : undefined;
  });
  const notProved = done.filter((r) => r.status?.phase !== 'Proved');
  if (notProved.length > 0) throw new Error(`${notProved.length} requests were not Proved, e.g. ${JSON.stringify(notProved[0]?.status)}`);
  const completions = done.map((r) => Date.parse(r.status?.completionTime ?? ''));
  const latencies = done.map((r: ProofRequest) => (Date.parse(r.status?.completionTime ?? '') - (createdAt.get(r.metadata.name ?? '') ?? started)) / 1000);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const inProver = mean(done.map((r) => r.status?.result?.durationMs ?? 0));
  const runningToVerdict = mean(done.map((r) => Date.parse(r.status?.completionTime ?? '') - Date.parse(r.status?.startTime ?? '')));
  print(`  mean per request: ${inProver.toFixed(0)} ms checking in the prover, ${runningToVerdict.toFixed(0)} ms from Running to verdict`);
  return { wall: (Math.max(...completions) - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

async function pollEvery<T>(intervalMs: number, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for every verdict');
    await sleep(intervalMs);
  }
}

async function fillCache(client: KubeClient, namespace: string): Promise<void> {
  const now = new Date().toISOString();
  await mapConcurrently(Array.from({ length: cachedObjects }, (_, i) => i), 24, async (i) => {
    const name = `done-${i}`;
    const base = `/apis/pxl.logos.dev/v1alpha1/namespaces/${namespace}/proofrequests`;
    const created = await client.request<ProofRequest>('POST', base, {
      body: { apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'ProofRequest', metadata: { name, namespace }, spec: { coreRef: { name: 'core' }, statement, proof: proofFor(i, false) } },
    });
    const status = {
      observedGeneration: 1, phase: 'Proved', attempts: 1, startTime: now, completionTime: now,
      conditions: [{ type: 'Succeeded', status: 'True', reason: 'Proved', message: 'the kernel accepted the proof', observedGeneration: 1, lastTransitionTime: now }],
      result: { ok: true, backend: 'coqidetop', prover: 'core-x', durationMs: 5, digest: `sha256:${i.toString(16).padStart(64, '0')}`, cached: false, statement: `Prov (Impl (Box (Atom 0)) (Atom 0))`, atoms: {}, assumptions: [], messages: [] },
    };
    await client.request('PUT', `${base}/${name}/status`, { body: { ...created, status } });
  });
}

async function main(): Promise<void> {
  await ensureCluster({ report: print });
  const client = createClient();
  await ensureCrds(client);
  const namespace = await createTestNamespace({}, 'pxl-bench');
  let operator: OperatorProcess | undefined = startOperator(namespace.name, ['--leader-elect', 'false']);
  try {
    await createCore(client, namespace.name, 'core', { replicas: 2, sessionsPerReplica: 2 });
    await waitForReadyCore(client, namespace.name, 'core', 2, 300_000);
    print(`bench:operator  ${count} requests of ~${work} tactic steps each, core of 2 replicas × 2 sessions`);
    const directWall = await runDirect(client, namespace.name, 2);
    print(`direct to prover Pods: ${directWall.toFixed(2)} s  (${(count / directWall).toFixed(1)} proofs/s)`);
    const { wall, latencies } = await runThroughOperator(client, namespace.name);
    const ratio = directWall / wall;
    print(`through the operator: ${wall.toFixed(2)} s to the last verdict  (${(count / wall).toFixed(1)} proofs/s)`);
    print(`create→verdict latency: p50 ${percentile(latencies, 0.5).toFixed(2)} s, p99 ${percentile(latencies, 0.99).toFixed(2)} s`);
    print(`throughput ratio operator/direct: ${ratio.toFixed(2)}  (target ≥ 0.8)`);
    const rssBusy = readRssMiB(operator.child.pid);
    print(`operator RSS after the run: ${rssBusy.toFixed(0)} MiB`);
    let rssCached = Number.NaN;
    if (cachedObjects > 0) {
      // Stopped while filling, so it cannot act on the objects between their creation and their status;
      // a fresh process then lists everything into its cache: the steady state of a long-running operator.
      await operator.kill();
      await fillCache(client, namespace.name);
      operator = startOperator(namespace.name, ['--leader-elect', 'false']);
      await sleep(15_000);
      rssCached = readRssMiB(operator.child.pid);
      print(`operator RSS with ${cachedObjects + count} finished ProofRequests in its cache: ${rssCached.toFixed(0)} MiB`);
    }
    const dir = join(repoRoot, '.cache', 'bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'operator.json'), JSON.stringify({ count, directWall, operatorWall: wall, ratio, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rssBusy, cachedObjects, rssCached }, null, 2));
  } finally {
    await operator.kill();
    await client.request('DELETE', `/api/v1/namespaces/${namespace.name}`).catch(() => undefined);
    client.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:operator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
