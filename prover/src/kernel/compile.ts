// Compiling a kernel into the scratch directory (the root filesystem may be read-only).
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findForbiddenCommand } from '../check/screen.js';
import { lexCoq } from '../check/coq-lexer.js';
import { hashKernelDir, listKernelSources } from './hash.js';

const run = promisify(execFile);

/** The logical path every kernel is bound to (`From PXLs Require Import PXLv3.`). */
export const kernelLogicalPath = 'PXLs';

/** Raised when a kernel cannot be used: it assumes something, or does not compile. */
export class KernelError extends Error {
  constructor(message: string, readonly reason: 'KernelRejected' | 'KernelCompileFailed', options?: ErrorOptions) {
    super(message, options);
    this.name = 'KernelError';
  }
}

/** A kernel compiled into a scratch directory. */
export interface CompiledKernel {
  readonly hash: string;
  /** The directory holding the .v and .vo files, bound to `PXLs`. */
  readonly dir: string;
  /** Module names in dependency order, e.g. ['PXLv3']. */
  readonly modules: readonly string[];
  /** The sentence that loads the kernel into a fresh Coq state. */
  readonly importSentence: string;
}

/** The directory of the built-in PXLv3 kernel sources shipped with the package. */
export function builtinKernelDir(): string {
  // The compiled module runs from dist/prover/src/kernel/, four levels below the repository root.
  return fileURLToPath(new URL('../../../../prover/kernel/', import.meta.url));
}

// Declarations a kernel must not contain: the whole point of the kernel is that it assumes nothing.
const assumingWords = new Set(['Axiom', 'Axioms', 'Parameter', 'Parameters', 'Admitted', 'Conjecture', 'Hypothesis', 'Hypotheses', 'Variable', 'Variables', 'Context', 'admit']);

/** Refuses a kernel file that assumes something or contains a forbidden command. */
export function screenKernelSource(file: string, text: string): void {
  const tokens = lexCoq(text);
  const assuming = tokens.find((t) => t.kind === 'ident' && assumingWords.has(t.text));
  if (assuming !== undefined) throw new KernelError(`kernel file ${file} contains ${assuming.text}: a kernel may not assume anything`, 'KernelRejected');
  const forbidden = findForbiddenCommand(tokens);
  if (forbidden !== undefined) throw new KernelError(`kernel file ${file}: ${forbidden.message}`, 'KernelRejected');
}

/** Orders kernel files so that each comes after the files it requires, using coqdep. */
async function orderByDependencies(dir: string, files: readonly string[]): Promise<string[]> {
  const { stdout } = await run('coqdep', ['-Q', '.', kernelLogicalPath, ...files], { cwd: dir });
  const deps = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const line of stdout.split('\n')) {
    const [targets = '', sources = ''] = line.split(':');
    const vo = targets.trim().split(/\s+/)[0] ?? '';
    const file = vo.replace(/\.vo$/, '.v');
    if (!deps.has(file)) continue;
    deps.set(file, sources.trim().split(/\s+/).filter((s) => s.endsWith('.vo')).map((s) => s.replace(/\.vo$/, '.v')).filter((s) => s !== file && deps.has(s)));
  }
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (file: string): void => {
    if (ordered.includes(file)) return;
    if (visiting.has(file)) throw new KernelError(`kernel files depend on each other in a cycle through ${file}`, 'KernelRejected');
    visiting.add(file);
    for (const dep of deps.get(file) ?? []) visit(dep);
    ordered.push(file);
  };
  files.forEach(visit);
  return ordered;
}

/** Hashes, screens, copies and compiles a kernel with `coqc -native-compiler no -Q <dir> PXLs`. */
export async function compileKernel(options: { readonly kernelDir?: string | undefined; readonly scratchDir: string }): Promise<CompiledKernel> {
  const sourceDir = options.kernelDir ?? builtinKernelDir();
  const hash = await hashKernelDir(sourceDir);
  const files = await listKernelSources(sourceDir);
  if (files.length === 0) throw new KernelError(`kernel directory ${sourceDir} holds no .v files`, 'KernelRejected');
  for (const file of files) screenKernelSource(file, await readFile(path.join(sourceDir, file), 'utf8'));
  const dir = path.join(options.scratchDir, `kernel-${hash.slice('sha256:'.length, 'sha256:'.length + 16)}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await cp(path.join(sourceDir, file), path.join(dir, file));
  }
  const ordered = await orderByDependencies(dir, files);
  for (const file of ordered) {
    try {
      await run('coqc', ['-q', '-w', '-deprecated-native-compiler-option', '-native-compiler', 'no', '-Q', '.', kernelLogicalPath, file], { cwd: dir, timeout: 300_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new KernelError(`kernel file ${file} does not compile: ${stderr.slice(0, 1024)}`, 'KernelCompileFailed', { cause: error });
    }
  }
  const modules = ordered.map((f) => f.replace(/\.v$/, '').split('/').join('.'));
  return { hash, dir, modules, importSentence: `From ${kernelLogicalPath} Require Import ${modules.join(' ')}.` };
}
