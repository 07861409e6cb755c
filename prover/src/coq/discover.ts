// Finding Coq programs on PATH and choosing a backend for `--backend auto`.
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { Backend } from '../check/types.js';

/** Returns the full path of the first of `names` found executable on PATH. */
export async function findProgram(names: readonly string[], searchPath = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const name of names) {
    for (const dir of searchPath.split(path.delimiter).filter((d) => d !== '')) {
      const candidate = path.join(dir, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return undefined;
}

/** Program names per backend, in order of preference (Debian ships only coqidetop.opt). */
export const programNames: Readonly<Record<Backend, readonly string[]>> = {
  serapi: ['sertop'],
  coqidetop: ['coqidetop', 'coqidetop.opt'],
  coqc: ['coqc'],
};

/** Resolves a backend choice to a backend and its program: auto picks sertop, then coqidetop, then coqc. */
export async function chooseBackend(choice: Backend | 'auto'): Promise<{ backend: Backend; program: string } | undefined> {
  const order: readonly Backend[] = choice === 'auto' ? ['serapi', 'coqidetop', 'coqc'] : [choice];
  for (const backend of order) {
    const program = await findProgram(programNames[backend]);
    if (program !== undefined) return { backend, program };
  }
  return undefined;
}
