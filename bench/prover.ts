// Benchmark of the prover service: warm /prove latency vs a cold coqc and vs the raw engine, and throughput by sessions.
// Run with `npm run bench:prover`; prints figures, asserts nothing.
import { spawn, execFileSync } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startEngine } from '../prover/src/check/engine.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const statement = 'forall p q, Prov (Impl (Box (Impl p q)) (Impl (Box p) (Box q)))';
const proof = 'intros p q. apply ax_K.';
const samples = Number(process.env.BENCH_SAMPLES ?? 200);
const coldSamples = Number(process.env.BENCH_COLD_SAMPLES ?? 15);
const throughputRequests = Number(process.env.BENCH_THROUGHPUT_REQUESTS ?? 60);
const throughputRounds = Number(process.env.BENCH_THROUGHPUT_ROUNDS ?? 5);

interface Stats {
  readonly median: number;
  readonly p99: number;
}

function summarise(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { median: at(0.5), p99: at(0.99) };
}

async function measureColdCoqc(dir: string): Promise<Stats> {
  const kernel = path.join(dir, 'kernel');
  await mkdir(kernel, { recursive: true });
  await copyFile(path.join(repoRoot, 'prover/kernel/PXLv3.v'), path.join(kernel, 'PXLv3.v'));
  execFileSync('coqc', ['-Q', kernel, 'PXLs', path.join(kernel, 'PXLv3.v')], { cwd: kernel, stdio: 'pipe' });
  const lemma = path.join(dir, 'Lemma.v');
  await writeFile(lemma, `From PXLs Require Import PXLv3.\nTheorem bench_lemma : ${statement}.\nProof. ${proof} Qed.\nPrint Assumptions bench_lemma.\n`);
  const times: number[] = [];
  for (let i = 0; i < coldSamples; i += 1) {
    const started = performance.now();
    execFileSync('coqc', ['-Q', kernel, 'PXLs', lemma], { cwd: dir, stdio: 'pipe' });
    times.push(performance.now() - started);
  }
  return summarise(times);
}

interface Service {
  readonly url: string;
  stop(): Promise<void>;
}

async function startService(dir: string, sessions: number): Promise<Service> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/pxl-prover.js'), '--listen', '127.0.0.1:0', '--sessions', String(sessions), '--queue', '1000', '--cache-size', '0', '--scratch-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const record = JSON.parse(line) as { msg?: string; address?: { port?: number } };
      if (record.msg === 'listening' && record.address?.port !== undefined) resolve(`http://127.0.0.1:${record.address.port}`);
    });
    child.once('exit', (code) => { reject(new Error(`pxl-prover exited with ${code}`)); });
  });
  await waitFor(async () => (await fetch(`${url}/ready`)).status === 200, 'the service to be ready');
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One POST /prove over a keep-alive connection (node:http: less client overhead than fetch). */
async function proveOverHttp(url: string, requestId: string): Promise<void> {
  const body = JSON.stringify({ statement, proof, requestId });
  const text = await new Promise<string>((resolve, reject) => {
    const request = httpRequest(`${url}/prove`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let data = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { data += chunk; });
      response.on('end', () => { resolve(data); });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
  const answer = JSON.parse(text) as { verdict?: string; cached?: boolean };
  if (answer.verdict !== 'Proved' || answer.cached !== false) throw new Error(`HTTP check answered ${text}`);
}

/**
 * Raw engine.check (in this process) and POST /prove (a pxl-prover child, 1 session each) sampled alternately,
 * so both see the same machine load; the overhead is the median of the paired differences.
 */
async function measureWarm(dir: string): Promise<{ raw: Stats; http: Stats; overhead: Stats; backend: string }> {
  const engine = await startEngine({ backend: 'auto', sessions: 1, scratchDir: path.join(dir, 'raw') });
  const service = await startService(path.join(dir, 'http'), 1);
  try {
    await waitFor(() => engine.readiness().ready, 'the engine to be ready');
    const raw: number[] = [];
    const http: number[] = [];
    for (let i = 0; i < samples + 10; i += 1) {
      const timeRaw = async (): Promise<number> => {
        const started = performance.now();
        const outcome = await engine.check({ statement, proof, allowedAxioms: [], timeoutMs: 30_000 });
        if (outcome.verdict !== 'Proved') throw new Error(`raw check was ${outcome.verdict}: ${outcome.message}`);
        return performance.now() - started;
      };
      const timeHttp = async (): Promise<number> => {
        const started = performance.now();
        await proveOverHttp(service.url, `bench-${i}`);
        return performance.now() - started;
      };
      // Alternate which goes first, so neither always runs right after the other's wake-up.
      let rawMs: number;
      let httpMs: number;
      if (i % 2 === 0) {
        rawMs = await timeRaw();
        httpMs = await timeHttp();
      } else {
        httpMs = await timeHttp();
        rawMs = await timeRaw();
      }
      if (i >= 10) {
        raw.push(rawMs);
        http.push(httpMs);
      }
    }
    return { raw: summarise(raw), http: summarise(http), overhead: summarise(http.map((value, index) => value - (raw[index] ?? 0))), backend: engine.backend };
  } finally {
    await service.stop();
    await engine.close();
  }
}

async function measureRate(url: string, sessions: number, requests: number, round: number): Promise<number> {
  const clients = sessions * 2;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        next += 1;
        await proveOverHttp(url, `tp-${sessions}-${round}-${next}`);
      }
    }),
  );
  return requests / ((performance.now() - started) / 1000);
}

/** Proofs per second for each session count: all services run at once and are measured in alternating rounds, median of rounds. */
async function measureThroughput(dir: string, sessionCounts: readonly number[]): Promise<Map<number, number>> {
  const services = await Promise.all(sessionCounts.map((sessions) => startService(path.join(dir, `tp-${sessions}`), sessions)));
  try {
    const rates = new Map<number, number[]>(sessionCounts.map((sessions) => [sessions, []]));
    for (let round = 0; round < throughputRounds; round += 1) {
      for (const [index, sessions] of sessionCounts.entries()) {
        const service = services[index];
        if (service !== undefined) rates.get(sessions)?.push(await measureRate(service.url, sessions, throughputRequests, round));
      }
    }
    return new Map([...rates].map(([sessions, values]) => [sessions, summarise(values).median]));
  } finally {
    await Promise.all(services.map((service) => service.stop()));
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pxl-bench-'));
  try {
    process.stdout.write(`pxl prover benchmark: lemma "${statement}", ${samples} warm samples, ${coldSamples} cold, ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1) ?? '?'}\n`);
    const cold = await measureColdCoqc(dir);
    const { raw: rawStats, http, overhead, backend } = await measureWarm(dir);
    const raw = { stats: rawStats, backend };
    const rows = [
      ['cold coqc (kernel .vo load + check)', ms(cold.median), ms(cold.p99), '1.0x'],
      [`raw engine.check (${raw.backend}, no HTTP)`, ms(raw.stats.median), ms(raw.stats.p99), `${(cold.median / raw.stats.median).toFixed(1)}x`],
      ['warm POST /prove (1 session, no cache)', ms(http.median), ms(http.p99), `${(cold.median / http.median).toFixed(1)}x`],
    ];
    process.stdout.write('\nLATENCY                                     MEDIAN      P99         SPEED-UP vs COLD COQC\n');
    for (const row of rows) process.stdout.write(`${(row[0] ?? '').padEnd(44)}${(row[1] ?? '').padEnd(12)}${(row[2] ?? '').padEnd(12)}${row[3] ?? ''}\n`);
    process.stdout.write(`\nHTTP + bookkeeping over raw: median of paired differences ${ms(overhead.median)}, difference of medians ${ms(http.median - raw.stats.median)} (target <= 2 ms)\n`);
    process.stdout.write(`warm /prove vs cold coqc (median): ${(cold.median / http.median).toFixed(1)}x (target >= 20x)\n`);
    process.stdout.write(`\nTHROUGHPUT (POST /prove, 2 clients per session, no cache, median of ${throughputRounds} alternating rounds of ${throughputRequests})\nSESSIONS   PROOFS/S   vs 1 SESSION\n`);
    const rates = await measureThroughput(dir, [1, 2, 4]);
    const base = rates.get(1) ?? NaN;
    for (const [sessions, rate] of rates) process.stdout.write(`${String(sessions).padEnd(11)}${rate.toFixed(1).padEnd(11)}${(rate / base).toFixed(2)}x\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
