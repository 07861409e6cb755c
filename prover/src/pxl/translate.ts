// Translates a PXL formula to the kernel's Coq statement `Prov φ'` (API §3).

import type { Formula } from './formula.js';

/** The kernel statement of a goal and the numbering of its atoms. */
export interface Translation {
  /** A closed Coq term, e.g. `Prov (Impl (Atom 0) (Atom 0))`. */
  readonly statement: string;
  /** Surface atom name → n in the kernel's `Atom n`, numbered in order of first appearance. */
  readonly atoms: Record<string, number>;
}

/** Numbers the atoms of a formula in order of first appearance, left to right. */
export function numberAtoms(f: Formula, atoms: Map<string, number> = new Map()): Map<string, number> {
  const visit = (g: Formula): void => {
    switch (g.kind) {
      case 'atom':
        if (!atoms.has(g.name)) atoms.set(g.name, atoms.size);
        return;
      case 'bot':
      case 'top':
        return;
      case 'not':
      case 'box':
      case 'dia':
        visit(g.arg);
        return;
      default:
        visit(g.left);
        visit(g.right);
    }
  };
  visit(f);
  return atoms;
}

/** Prints a formula as a fully parenthesised kernel `form` term; the outermost application is parenthesised too. */
export function printKernelForm(f: Formula, atoms: ReadonlyMap<string, number>): string {
  const out: string[] = [];
  const emit = (g: Formula): void => {
    switch (g.kind) {
      case 'atom':
        out.push(`(Atom ${atoms.get(g.name) ?? 0})`);
        return;
      case 'bot':
        out.push('Bot');
        return;
      case 'top':
        out.push('(Impl Bot Bot)');
        return;
      case 'not':
      case 'box':
      case 'dia':
        out.push(g.kind === 'not' ? '(Neg ' : g.kind === 'box' ? '(Box ' : '(Dia ');
        emit(g.arg);
        out.push(')');
        return;
      case 'iff':
        out.push('(Conj (Impl ');
        emit(g.left);
        out.push(' ');
        emit(g.right);
        out.push(') (Impl ');
        emit(g.right);
        out.push(' ');
        emit(g.left);
        out.push('))');
        return;
      default:
        out.push(g.kind === 'and' ? '(Conj ' : g.kind === 'or' ? '(Disj ' : '(Impl ');
        emit(g.left);
        out.push(' ');
        emit(g.right);
        out.push(')');
    }
  };
  emit(f);
  return out.join('');
}

/** Translates a goal to its kernel statement `Prov φ'` with the atom map, deterministically. */
export function translateGoal(f: Formula): Translation {
  const atoms = numberAtoms(f);
  return { statement: `Prov ${printKernelForm(f, atoms)}`, atoms: Object.fromEntries(atoms) };
}
