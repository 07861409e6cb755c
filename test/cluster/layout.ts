import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the local control plane keeps its binaries, certificates, data, logs and pid files. */
export interface ClusterLayout {
  readonly repoRoot: string;
  readonly dir: string;
  readonly binRoot: string;
  readonly pkiDir: string;
  readonly etcdDir: string;
  readonly logsDir: string;
  readonly runDir: string;
  readonly agentStateDir: string;
  readonly kubeconfigPath: string;
  readonly statePath: string;
  readonly lockPath: string;
}

/** The repository root, found from this compiled file's place in dist/test/cluster/. */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

/** Resolves the layout under `.cache/cluster` of the repository, or under `PXL_CLUSTER_DIR` when set (isolated planes for tests). */
export function resolveLayout(env: NodeJS.ProcessEnv = process.env): ClusterLayout {
  const dir = path.resolve(env['PXL_CLUSTER_DIR'] ?? path.join(repoRoot, '.cache', 'cluster'));
  const runDir = path.join(dir, 'run');
  return {
    repoRoot,
    dir,
    binRoot: path.join(dir, 'bin'),
    pkiDir: path.join(dir, 'pki'),
    etcdDir: path.join(dir, 'etcd'),
    logsDir: path.join(dir, 'logs'),
    runDir,
    agentStateDir: path.join(dir, 'agent'),
    kubeconfigPath: path.join(dir, 'kubeconfig'),
    statePath: path.join(runDir, 'state.json'),
    lockPath: path.join(runDir, 'lock'),
  };
}

/** The path relative to the working directory when it lies below it, for short messages. */
export function showPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}
