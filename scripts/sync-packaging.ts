// Regenerates the packaging files derived from a single source: the CRDs in the Helm chart and the kustomize
// base are copies of crds/, and the argocd-cm snippet embeds the health.lua files. A unit test fails on drift.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** The repository root, found from this file whether it runs from scripts/ or dist/scripts/. */
export const repositoryRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The folders that hold generated copies of crds/*.yaml. */
export const crdCopyDirs = ['charts/pxl-core/files/crds', 'config/crd/bases'] as const;

/** Where the Argo CD health scripts live, one folder per group and kind as Argo CD's own repository lays them out. */
export const healthScriptsDir = 'config/argocd/resource_customizations';

/** The generated argocd-cm snippet. */
export const argocdConfigMapPath = 'config/argocd/argocd-cm-health.yaml';

/** One file the generator writes: its path from the repository root and its exact content. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

function findRoot(start: string): string {
  return start.endsWith(join('dist', 'scripts')) ? join(start, '..', '..') : join(start, '..');
}

/** Lists every file the generator owns with the content it must have. */
export async function renderGeneratedFiles(root = repositoryRoot): Promise<GeneratedFile[]> {
  return [...(await renderCrdCopies(root)), await renderArgocdConfigMap(root)];
}

async function renderCrdCopies(root: string): Promise<GeneratedFile[]> {
  const names = (await readdir(join(root, 'crds'))).filter((name) => name.endsWith('.yaml')).sort();
  const files: GeneratedFile[] = [];
  for (const name of names) {
    const source = await readFile(join(root, 'crds', name), 'utf8');
    const header = `# Generated from crds/${name} by \`npm run sync:packaging\`; edit the source, not this copy.\n`;
    for (const dir of crdCopyDirs) files.push({ path: `${dir}/${name}`, content: header + source });
  }
  return files;
}

/** Reads the health scripts as `group_Kind` keys, the naming argocd-cm uses. */
export async function readHealthScripts(root = repositoryRoot): Promise<Map<string, string>> {
  const scripts = new Map<string, string>();
  const base = join(root, healthScriptsDir);
  for (const group of (await readdir(base)).sort()) {
    for (const kind of (await readdir(join(base, group))).sort()) {
      scripts.set(`${group}_${kind}`, await readFile(join(base, group, kind, 'health.lua'), 'utf8'));
    }
  }
  return scripts;
}

async function renderArgocdConfigMap(root: string): Promise<GeneratedFile> {
  const data: Record<string, string> = {};
  for (const [key, script] of await readHealthScripts(root)) data[`resource.customizations.health.${key}`] = script;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      namespace: 'argocd',
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data,
  };
  const header = [
    `# Generated from ${healthScriptsDir}/*/*/health.lua by \`npm run sync:packaging\`; do not edit.`,
    '# Merge into your argocd-cm (e.g. as a kustomize strategic-merge patch) to teach Argo CD the health of',
    '# PxlCore and ProofRequest. The same scripts as files: resource_customizations/pxl.logos.dev/<Kind>/health.lua.',
  ].join('\n');
  return { path: argocdConfigMapPath, content: `${header}\n${stringify(configMap, { lineWidth: 0 })}` };
}

/** Writes every generated file, removing CRD copies whose source is gone. */
export async function writeGeneratedFiles(root = repositoryRoot): Promise<string[]> {
  const files = await renderGeneratedFiles(root);
  const wanted = new Set(files.map((file) => file.path));
  for (const dir of crdCopyDirs) {
    await mkdir(join(root, dir), { recursive: true });
    for (const name of await readdir(join(root, dir))) {
      if (!wanted.has(`${dir}/${name}`)) await rm(join(root, dir, name));
    }
  }
  for (const file of files) await writeFile(join(root, file.path), file.content);
  return files.map((file) => relative(root, join(root, file.path)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = await writeGeneratedFiles();
  process.stdout.write(`wrote ${written.join(', ')}\n`);
}
