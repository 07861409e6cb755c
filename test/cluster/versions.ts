import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ClusterError } from './errors.js';

/** The upstream versions pinned by the Go tools modules under test/tools/. */
export interface ToolVersions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly helm: string;
}

/** The Go modules that pin the binaries, relative to the repository root. */
export const toolModules = { k8s: 'test/tools/k8s', helm: 'test/tools/helm' } as const;

function findVersion(goMod: string, modulePath: string, file: string): string {
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (match?.[1] === undefined) {
    throw new ClusterError(`${file} does not require ${modulePath}; restore the tools module from git`);
  }
  return match[1];
}

async function readGoMod(repoRoot: string, dir: string): Promise<string> {
  const file = path.join(repoRoot, dir, 'go.mod');
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ClusterError(`cannot read ${path.join(dir, 'go.mod')}; restore it from git`, { cause: error });
  }
}

/** Reads the pinned Kubernetes, etcd and Helm versions from the go.mod files, so a version bump changes the cache key. */
export async function readToolVersions(repoRoot: string): Promise<ToolVersions> {
  const k8sMod = await readGoMod(repoRoot, toolModules.k8s);
  const helmMod = await readGoMod(repoRoot, toolModules.helm);
  return {
    kubernetes: findVersion(k8sMod, 'k8s.io/kubernetes', `${toolModules.k8s}/go.mod`),
    etcd: findVersion(k8sMod, 'go.etcd.io/etcd/server/v3', `${toolModules.k8s}/go.mod`),
    helm: findVersion(helmMod, 'helm.sh/helm/v4', `${toolModules.helm}/go.mod`),
  };
}

/** The directory name that identifies one set of binaries, e.g. `k8s-v1.37.2_etcd-v3.7.4_helm-v4.3.2`. */
export function formatBinKey(versions: ToolVersions): string {
  return `k8s-${versions.kubernetes}_etcd-${versions.etcd}_helm-${versions.helm}`;
}
