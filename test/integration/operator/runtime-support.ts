// Shared helpers of the runtime and CRD integration tests, on top of the control-plane fixture (test/fixtures/kube.ts).
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { parse } from 'yaml';
import { Applier } from '../../../operator/src/runtime/apply.js';
import { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { createTestNamespace as createFixtureNamespace, loadKubeConfig, runKubectl as runFixtureKubectl } from '../../fixtures/kube.js';

/** The repository root (tests run from dist/test/integration/operator). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A logger that prints nothing unless PXL_TEST_LOG is set (e.g. PXL_TEST_LOG=debug). */
export const testLogger: Logger = pino({ level: process.env.PXL_TEST_LOG ?? 'silent' });

/** A fresh runtime client for the local control plane. */
export function createTestClient(): KubeClient {
  return new KubeClient(loadKubeConfig());
}

/** Runs the built kubectl against the local control plane and returns its stdout; fails on a non-zero exit. */
export async function runKubectl(args: readonly string[]): Promise<string> {
  const result = await runFixtureKubectl(args);
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
}

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Creates a namespace labelled for this test run (the root hook deletes leftovers) and returns its name. */
export async function createTestNamespace(prefix: string): Promise<string> {
  return (await createFixtureNamespace({}, prefix)).name;
}

/** Deletes a namespace without waiting for it to go. */
export async function deleteTestNamespace(client: KubeClient, name: string): Promise<void> {
  await client.request('DELETE', `/api/v1/namespaces/${name}`).catch(() => undefined);
}

interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** The CRD documents of crds/, parsed. */
export function readCrds(): Crd[] {
  const dir = join(repoRoot, 'crds');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => parse(readFileSync(join(dir, file), 'utf8')) as Crd);
}

/** Server-side applies both CRDs and waits until the API server serves them (Established). */
export async function installCrds(client: KubeClient): Promise<void> {
  // Forced, so an install by another tool (helm in the packaging suite) never blocks this one.
  const applier = new Applier(client, { fieldManager: 'pxl-tests' });
  for (const crd of readCrds()) await applier.apply(crd);
  for (const crd of readCrds()) {
    await waitFor(`CRD ${crd.metadata.name} Established`, async () => {
      const live = await client.request<Crd>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      return live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true ? true : undefined;
    });
  }
}

/**
 * A loopback TCP relay in front of the real API server. Taking it down resets every connection and refuses
 * new ones, which is what a client sees while the API server restarts; the shared control plane keeps running.
 */
export class Relay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Listens (on the same port as before, after the first time) and returns the port. */
  async up(): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
    return this.port;
  }

  /** Resets every connection and stops listening. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.resetAndDestroy();
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
}

/** The control plane's kubeconfig with the server address pointed at a relay port. */
export function kubeConfigVia(relayPort: number): KubeConfig {
  const original = loadKubeConfig();
  const cluster = original.getCurrentCluster();
  if (cluster === null) throw new Error('no current cluster');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ ...cluster, server: `https://127.0.0.1:${relayPort}` }],
    users: original.users,
    contexts: original.contexts,
    currentContext: original.currentContext,
  });
  return kubeConfig;
}
