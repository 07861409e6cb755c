// Support for the operator's integration tests that does not depend on other test files: paths, client, CRDs, polling.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { resolveLayout } from '../../cluster/layout.js';
import { loadKubeConfig } from '../../fixtures/kube.js';
import { Applier } from '../../../operator/src/runtime/apply.js';
import { KubeClient } from '../../../operator/src/runtime/kube-client.js';

/** The repository root (tests run from dist/test/…). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The kubeconfig the local control plane wrote. */
export function resolveKubeconfigPath(): string {
  return resolveLayout().kubeconfigPath;
}

/** A raw JSON client for the local control plane. */
export function createClient(): KubeClient {
  return new KubeClient(loadKubeConfig());
}

/** Polls `probe` every 100 ms until it returns a value. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Applies crds/*.yaml and waits until both are Established. */
export async function ensureCrds(client: KubeClient): Promise<void> {
  const applier = new Applier(client, { fieldManager: 'pxl-operator-tests' });
  const dir = join(repoRoot, 'crds');
  const crds = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(join(dir, f), 'utf8')) as { apiVersion: string; kind: string; metadata: { name: string } });
  for (const crd of crds) await applier.apply(crd);
  for (const crd of crds) {
    await waitFor(`CRD ${crd.metadata.name} Established`, async () => {
      const live = await client.request<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      return live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true ? true : undefined;
    });
  }
}
