// Runs the helm and kubectl that the local control plane built, against that plane, for the packaging tests.
import { join } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { ensureCluster } from '../../cluster/cluster.js';
import { repositoryRoot } from '../../../scripts/sync-packaging.js';

/** The outcome of one command; tests assert on it instead of catching exceptions. */
export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** helm and kubectl bound to the local control plane's kubeconfig. */
export interface Tools {
  readonly helm: (args: readonly string[], input?: string) => Promise<CommandResult>;
  readonly kubectl: (args: readonly string[], input?: string) => Promise<CommandResult>;
}

/** Starts or reuses the local control plane and returns its tools. */
export async function prepareTools(): Promise<Tools> {
  const cluster = await ensureCluster();
  const env = { KUBECONFIG: cluster.kubeconfigPath, HELM_CACHE_HOME: join(repositoryRoot, '.cache', 'helm', 'cache'), HELM_CONFIG_HOME: join(repositoryRoot, '.cache', 'helm', 'config'), HELM_DATA_HOME: join(repositoryRoot, '.cache', 'helm', 'data') };
  const run = (binary: string) => async (args: readonly string[], input?: string): Promise<CommandResult> => {
    const result = await execa(join(cluster.binDir, binary), args, { cwd: repositoryRoot, env, reject: false, timeout: 300_000, ...(input === undefined ? {} : { input }) });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  return { helm: run('helm'), kubectl: run('kubectl') };
}

/** Throws with the command's output when it failed, so a failing step says why. */
export function expectSuccess(result: CommandResult, what: string): string {
  if (result.exitCode !== 0) throw new Error(`${what} failed (exit ${result.exitCode}):\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

/** Creates a namespace that enforces (and warns on) the restricted Pod Security Standard. */
export async function createRestrictedNamespace(tools: Tools, name: string): Promise<void> {
  // A namespace left Terminating by an earlier run refuses new objects; wait until it is gone.
  await tools.kubectl(['wait', '--for=delete', `namespace/${name}`, '--timeout=180s']);
  const manifest = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
      },
    },
  });
  expectSuccess(await tools.kubectl(['apply', '--server-side', '--field-manager=pxl-packaging-test', '-f', '-'], manifest), `creating namespace ${name}`);
}

/** Deletes namespaces without waiting for their finalization. */
export async function deleteNamespaces(tools: Tools, names: readonly string[]): Promise<void> {
  await tools.kubectl(['delete', 'namespace', '--ignore-not-found', '--wait=false', ...names]);
}

/** One Kubernetes object as parsed from YAML. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
}

/** Parses a multi-document YAML stream into its non-empty documents. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as Manifest | null)
    .filter((item): item is Manifest => item !== null);
}

/**
 * Turns the pod templates of workloads into bare Pods, because Pod Security admission enforces only on Pods:
 * a dry-run create of these Pods is what tells whether the workloads would be admitted. They run as the
 * namespace's `default` ServiceAccount, since the chart's own exists only in the (dry-run) apply.
 */
export function extractPods(manifests: readonly Manifest[], namespace: string): Manifest[] {
  return manifests
    .filter((item) => item.kind === 'Deployment')
    .map((item) => {
      const template = item.spec?.template as { metadata?: Record<string, unknown>; spec: Record<string, unknown> };
      return { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name: `${item.metadata.name}-template`, namespace }, spec: { ...template.spec, serviceAccountName: 'default' } };
    });
}
