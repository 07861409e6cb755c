// The coqc driver: one fresh process per step, for untrusted documents, the paranoid mode and the last fallback.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runLimited, type BatchResult, type ProcessLimits } from './process.js';

/** The logical path bound to the directory of compiled untrusted libraries. */
export const untrustedLogicalPath = 'PXLu';

/** One check's private directory for untrusted files, and the module name of its document. */
export interface UntrustedUnit {
  readonly dir: string;
  /** The untrusted document's module, e.g. c0123abcd (logical name PXLu.c0123abcd). */
  readonly module: string;
  readonly logicalModule: string;
}

/** Options shared by every coqc run. */
export interface CoqcOptions {
  readonly program: string;
  readonly kernelDir: string;
  readonly limits: ProcessLimits;
}

const quietFlags = ['-q', '-native-compiler', 'no', '-w', '-deprecated-native-compiler-option'];

/** Makes a fresh private directory for one check under the untrusted root. */
export async function createUnit(untrustedRoot: string, nonce: string): Promise<UntrustedUnit> {
  const dir = path.join(untrustedRoot, `u${nonce}`);
  await mkdir(dir, { recursive: true });
  return { dir, module: `c${nonce}`, logicalModule: `${untrustedLogicalPath}.c${nonce}` };
}

/** Moves the unit's compiled document into the untrusted root, where warm sessions find it by name. */
export async function publishUnit(unit: UntrustedUnit, untrustedRoot: string): Promise<void> {
  await rename(path.join(unit.dir, `${unit.module}.vo`), path.join(untrustedRoot, `${unit.module}.vo`));
}

/** Removes a check's files, published or not. */
export async function removeUnit(unit: UntrustedUnit, untrustedRoot: string): Promise<void> {
  await rm(unit.dir, { recursive: true, force: true });
  await rm(path.join(untrustedRoot, `${unit.module}.vo`), { force: true });
}

/**
 * Compiles one file in the unit's directory with coqc. The document sees only the kernel and its own
 * directory, so it can neither read another request's library nor change the engine's files.
 */
export async function compileInUnit(options: CoqcOptions, unit: UntrustedUnit, module: string, text: string, timeoutMs: number): Promise<BatchResult> {
  const file = `${module}.v`;
  await writeFile(path.join(unit.dir, file), text, 'utf8');
  const args = [...quietFlags, '-Q', options.kernelDir, 'PXLs', '-Q', unit.dir, untrustedLogicalPath, file];
  return runLimited(options.program, args, unit.dir, options.limits, timeoutMs);
}
