// Shared helpers of the runtime and CRD integration tests: a client for the local control plane, namespaces, CRDs.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { parse } from 'yaml';
import { Applier } from '../../../operator/src/runtime/apply.js';
import { KubeClient } from '../../../operator/src/runtime/kube-client.js';

const run = promisify(execFile);

/** The repository root (tests run from dist/test/integration/operator). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A logger that prints nothing unless PXL_TEST_LOG is set (e.g. PXL_TEST_LOG=debug). */
export const testLogger: Logger = pino({ level: process.env.PXL_TEST_LOG ?? 'silent' });

/** The path of the local control plane's kubeconfig: $KUBECONFIG (set by the root hook) or .cache/cluster/kubeconfig. */
export function resolveKubeconfigPath(): string {
  return process.env.KUBECONFIG ?? join(repoRoot, '.cache/cluster/kubeconfig');
}

/** The local control plane's kubeconfig. */
export function loadTestKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(resolveKubeconfigPath());
  return kubeConfig;
}

/** Runs the built kubectl against the local control plane and returns its stdout. */
export async function runKubectl(args: readonly string[]): Promise<string> {
  const { stdout } = await run(findKubectl(), [...args], { env: { ...process.env, KUBECONFIG: resolveKubeconfigPath() } });
  return stdout;
}

/** The kubectl built for the local control plane ($PXL_KUBECTL overrides). */
export function findKubectl(): string {
  const override = process.env.PXL_KUBECTL;
  if (override !== undefined) return override;
  const binRoot = join(repoRoot, '.cache/cluster/bin');
  const found = existsSync(binRoot)
    ? readdirSync(binRoot).map((dir) => join(binRoot, dir, 'kubectl')).find((path) => existsSync(path))
    : undefined;
  if (found === undefined) throw new Error('no kubectl under .cache/cluster/bin; run npm run cluster -- up');
  return found;
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

/** Creates a namespace with a unique name and returns the name. */
export async function createTestNamespace(client: KubeClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  return name;
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
  const applier = new Applier(client, { fieldManager: 'pxl-tests' });
  for (const crd of readCrds()) await applier.apply(crd);
  for (const crd of readCrds()) {
    await waitFor(`CRD ${crd.metadata.name} Established`, async () => {
      const live = await client.request<Crd>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      return live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true ? true : undefined;
    });
  }
}

/** A fresh client for the local control plane. */
export function createTestClient(): KubeClient {
  return new KubeClient(loadTestKubeConfig());
}
