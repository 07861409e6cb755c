import { access, chmod, copyFile, link, mkdir, rename, rm, appendFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ClusterError } from './errors.js';
import { showPath, type ClusterLayout } from './layout.js';
import { formatBinKey, readToolVersions, toolModules, type ToolVersions } from './versions.js';

/** Every binary the local control plane and the packaging tests use, by file name. */
export const binaryNames = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'etcd', 'helm'] as const;

/** One of the built binaries. */
export type BinaryName = (typeof binaryNames)[number];

interface BinaryGroup {
  readonly module: keyof typeof toolModules;
  readonly packages: readonly { readonly name: BinaryName; readonly pkg: string }[];
  readonly ldflags: (v: ToolVersions) => string;
}

// Version stamps that the upstream Makefiles set; without them the binaries report v0.0.0,
// which breaks Helm's kubeVersion checks and kubectl's version-skew warnings.
function kubeLdflags(v: ToolVersions): string {
  const [major, minor] = v.kubernetes.replace(/^v/, '').split('.');
  const stamps = { gitVersion: v.kubernetes, gitMajor: major ?? '', gitMinor: minor ?? '', gitTreeState: 'clean' };
  const pairs = Object.entries(stamps).flatMap(([key, value]) => [
    `-X k8s.io/component-base/version.${key}=${value}`,
    `-X k8s.io/client-go/pkg/version.${key}=${value}`,
  ]);
  return ['-s', '-w', ...pairs].join(' ');
}

const binaryGroups: readonly BinaryGroup[] = [
  {
    module: 'k8s',
    packages: [
      { name: 'kube-apiserver', pkg: 'k8s.io/kubernetes/cmd/kube-apiserver' },
      { name: 'kube-controller-manager', pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager' },
      { name: 'kube-scheduler', pkg: 'k8s.io/kubernetes/cmd/kube-scheduler' },
      { name: 'kubectl', pkg: 'k8s.io/kubernetes/cmd/kubectl' },
      { name: 'etcd', pkg: 'go.etcd.io/etcd/server/v3' },
    ],
    ldflags: kubeLdflags,
  },
  {
    module: 'helm',
    packages: [{ name: 'helm', pkg: 'helm.sh/helm/v4/cmd/helm' }],
    ldflags: (v) => `-s -w -X helm.sh/helm/v4/internal/version.version=${v.helm} -X helm.sh/helm/v4/internal/version.metadata=`,
  },
];

/** Where the binaries were found. */
export type BinarySource = 'present' | 'restored' | 'built' | 'override';

/** The outcome of `ensureBinaries`. */
export interface BinariesResult {
  readonly binDir: string;
  readonly key: string;
  readonly source: BinarySource;
  readonly seconds: number;
}

/** Options of `ensureBinaries`. */
export interface EnsureBinariesOptions {
  readonly layout: ClusterLayout;
  readonly report: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function missingFrom(dir: string, names: readonly string[]): Promise<string[]> {
  const present = await Promise.all(names.map((name) => exists(path.join(dir, name))));
  return names.filter((_, i) => present[i] !== true);
}

/** The machine-wide copy that survives fresh clones: `${XDG_CACHE_HOME:-$HOME/.cache}/pxl-core/bin/<key>`. */
export function machineBinDir(key: string, env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env['XDG_CACHE_HOME'] ?? path.join(env['HOME'] ?? os.homedir(), '.cache');
  return path.join(cacheHome, 'pxl-core', 'bin', key);
}

// Hard link when both sides share a file system (instant), copy otherwise; a rename makes it atomic.
async function placeFile(from: string, to: string): Promise<void> {
  const tmp = `${to}.tmp-${process.pid}`;
  await rm(tmp, { force: true });
  try {
    await link(from, tmp);
  } catch {
    await copyFile(from, tmp);
    await chmod(tmp, 0o755);
  }
  await rename(tmp, to);
}

function goOutputName(pkg: string): string {
  const parts = pkg.split('/');
  const last = parts.at(-1) ?? pkg;
  return /^v\d+$/.test(last) ? (parts.at(-2) ?? last) : last;
}

function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

async function buildGroup(group: BinaryGroup, versions: ToolVersions, staging: string, options: EnsureBinariesOptions): Promise<void> {
  const { layout, report } = options;
  const names = group.packages.map((p) => p.name).join(', ');
  const buildLog = path.join(layout.logsDir, 'build.log');
  await appendFile(buildLog, `=== ${new Date().toISOString()} go build ${names}\n`);
  report(`cluster: building ${names} with Go (a cold build takes several minutes; log ${showPath(buildLog)})`);
  const started = Date.now();
  const heartbeat = setInterval(() => {
    report(`cluster: still building ${names} (${formatDuration((Date.now() - started) / 1000)})`);
  }, 60_000);
  try {
    const args = ['build', '-ldflags', group.ldflags(versions), '-o', `${staging}/`, ...group.packages.map((p) => p.pkg)];
    const result = await execa('go', args, {
      cwd: path.join(layout.repoRoot, toolModules[group.module]),
      env: options.env ?? process.env,
      extendEnv: false,
      all: true,
      reject: false,
      stdin: 'ignore',
    });
    await appendFile(buildLog, `${result.all}\n`);
    if (result.failed) {
      if (result.code === 'ENOENT') {
        throw new ClusterError('Go is not installed (no `go` on PATH); install Go 1.26 or newer from https://go.dev/dl and re-run', {
          cause: result.cause,
        });
      }
      throw new ClusterError(
        `building ${names} failed (go exited with ${String(result.exitCode ?? result.signal)}); fix the error shown below (Go >= 1.26 and the Go module proxy are needed) and re-run; full log ${showPath(buildLog)}`,
        { details: result.all.split('\n').filter((l) => l.trim() !== '').slice(-12) },
      );
    }
  } finally {
    clearInterval(heartbeat);
  }
  for (const { name, pkg } of group.packages) {
    const produced = goOutputName(pkg);
    if (produced !== name) await rename(path.join(staging, produced), path.join(staging, name));
  }
  report(`cluster: built ${names} in ${formatDuration((Date.now() - started) / 1000)}`);
}

// The machine-wide copy only saves time later, so failing to write it is a warning, not an error.
async function keepMachineCopy(binDir: string, machineDir: string, names: readonly string[], report: (line: string) => void): Promise<void> {
  try {
    await mkdir(machineDir, { recursive: true });
    for (const name of names) await placeFile(path.join(binDir, name), path.join(machineDir, name));
  } catch (error) {
    report(`cluster: warning: could not keep a copy in ${machineDir} (${String(error)}); fresh clones will build again`);
  }
}

/** The directory the binaries of the pinned versions live in (or `PXL_CLUSTER_BIN_DIR`), without building anything. */
export async function resolveBinDir(layout: ClusterLayout, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const override = env['PXL_CLUSTER_BIN_DIR'];
  if (override !== undefined && override !== '') return path.resolve(override);
  return path.join(layout.binRoot, formatBinKey(await readToolVersions(layout.repoRoot)));
}

/** Makes sure every binary exists in `.cache/cluster/bin/<key>/`: present, restored from the machine cache, or built with Go. */
export async function ensureBinaries(options: EnsureBinariesOptions): Promise<BinariesResult> {
  const { layout, report } = options;
  const env = options.env ?? process.env;
  const started = Date.now();
  const seconds = (): number => (Date.now() - started) / 1000;
  const override = env['PXL_CLUSTER_BIN_DIR'];
  if (override !== undefined && override !== '') {
    const missing = await missingFrom(override, binaryNames);
    if (missing.length > 0) {
      throw new ClusterError(
        `${missing.join(', ')} missing from PXL_CLUSTER_BIN_DIR=${override}; put them there or unset PXL_CLUSTER_BIN_DIR to build the pinned versions`,
      );
    }
    return { binDir: path.resolve(override), key: path.basename(override), source: 'override', seconds: seconds() };
  }

  const versions = await readToolVersions(layout.repoRoot);
  const key = formatBinKey(versions);
  const binDir = path.join(layout.binRoot, key);
  const machineDir = machineBinDir(key, env);
  let source: BinarySource = 'present';
  await mkdir(binDir, { recursive: true });
  await mkdir(layout.logsDir, { recursive: true });

  for (const group of binaryGroups) {
    const names = group.packages.map((p) => p.name);
    if ((await missingFrom(binDir, names)).length === 0) continue;
    if ((await missingFrom(machineDir, names)).length === 0) {
      for (const name of names) await placeFile(path.join(machineDir, name), path.join(binDir, name));
      report(`cluster: restored ${names.join(', ')} from ${machineDir}`);
      source = source === 'built' ? 'built' : 'restored';
      continue;
    }
    const staging = path.join(layout.binRoot, `.staging-${String(process.pid)}-${group.module}`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    try {
      await buildGroup(group, versions, staging, options);
      for (const name of names) await placeFile(path.join(staging, name), path.join(binDir, name));
      await keepMachineCopy(binDir, machineDir, names, report);
      source = 'built';
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  if (source !== 'present') report(`cluster: binaries ready in ${showPath(binDir)} (${formatDuration(seconds())})`);
  return { binDir, key, source, seconds: seconds() };
}
