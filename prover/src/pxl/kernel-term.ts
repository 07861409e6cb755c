// Kernel `form` terms with metavariables, the axiom schemas of PXLv3, and unification with an undo trail.

import type { Formula } from './formula.js';

/** A kernel formula that may contain metavariables (`var`). */
export type Term =
  | { readonly t: 'var'; readonly id: number }
  | { readonly t: 'Atom'; readonly n: number }
  | { readonly t: 'Bot' }
  | { readonly t: 'Neg' | 'Box' | 'Dia'; readonly a: Term }
  | { readonly t: 'Conj' | 'Disj' | 'Impl'; readonly a: Term; readonly b: Term };

const bot: Term = { t: 'Bot' };
const imp = (a: Term, b: Term): Term => ({ t: 'Impl', a, b });
const un = (t: 'Neg' | 'Box' | 'Dia', a: Term): Term => ({ t, a });
const bin = (t: 'Conj' | 'Disj', a: Term, b: Term): Term => ({ t, a, b });

/** Converts a surface formula to a kernel term exactly as translateGoal prints it. */
export function toKernelTerm(f: Formula, atoms: ReadonlyMap<string, number>): Term {
  switch (f.kind) {
    case 'atom':
      return { t: 'Atom', n: atoms.get(f.name) ?? 0 };
    case 'bot':
      return bot;
    case 'top':
      return imp(bot, bot);
    case 'not':
      return un('Neg', toKernelTerm(f.arg, atoms));
    case 'box':
      return un('Box', toKernelTerm(f.arg, atoms));
    case 'dia':
      return un('Dia', toKernelTerm(f.arg, atoms));
    case 'and':
      return bin('Conj', toKernelTerm(f.left, atoms), toKernelTerm(f.right, atoms));
    case 'or':
      return bin('Disj', toKernelTerm(f.left, atoms), toKernelTerm(f.right, atoms));
    case 'imp':
      return imp(toKernelTerm(f.left, atoms), toKernelTerm(f.right, atoms));
    case 'iff': {
      const l = toKernelTerm(f.left, atoms);
      const r = toKernelTerm(f.right, atoms);
      return bin('Conj', imp(l, r), imp(r, l));
    }
  }
}

/** One axiom constructor of `Prov`: its name, how many `forall` arguments it takes, and its conclusion over them. */
export interface AxiomSchema {
  readonly name: string;
  readonly arity: number;
  readonly conclusion: (args: readonly Term[]) => Term;
}

const arg = (args: readonly Term[], i: number): Term => args[i] ?? bot;

/** The axiom constructors of PXLv3's `Prov`, in the kernel's order. */
export const axiomSchemas: readonly AxiomSchema[] = [
  { name: 'ax_K', arity: 2, conclusion: (x) => imp(un('Box', imp(arg(x, 0), arg(x, 1))), imp(un('Box', arg(x, 0)), un('Box', arg(x, 1)))) },
  { name: 'ax_T', arity: 1, conclusion: (x) => imp(un('Box', arg(x, 0)), arg(x, 0)) },
  { name: 'ax_4', arity: 1, conclusion: (x) => imp(un('Box', arg(x, 0)), un('Box', un('Box', arg(x, 0)))) },
  { name: 'ax_5', arity: 1, conclusion: (x) => imp(un('Dia', arg(x, 0)), un('Box', un('Dia', arg(x, 0)))) },
  { name: 'ax_PL_imp', arity: 3, conclusion: (x) => imp(imp(arg(x, 0), arg(x, 1)), imp(imp(arg(x, 1), arg(x, 2)), imp(arg(x, 0), arg(x, 2)))) },
  { name: 'ax_PL_and1', arity: 2, conclusion: (x) => imp(bin('Conj', arg(x, 0), arg(x, 1)), arg(x, 0)) },
  { name: 'ax_PL_and2', arity: 2, conclusion: (x) => imp(bin('Conj', arg(x, 0), arg(x, 1)), arg(x, 1)) },
  { name: 'ax_PL_orE', arity: 3, conclusion: (x) => imp(imp(arg(x, 0), arg(x, 2)), imp(imp(arg(x, 1), arg(x, 2)), imp(bin('Disj', arg(x, 0), arg(x, 1)), arg(x, 2)))) },
  { name: 'ax_PL_orI1', arity: 2, conclusion: (x) => imp(arg(x, 0), bin('Disj', arg(x, 0), arg(x, 1))) },
  { name: 'ax_PL_orI2', arity: 2, conclusion: (x) => imp(arg(x, 1), bin('Disj', arg(x, 0), arg(x, 1))) },
  { name: 'ax_PL_neg_elim', arity: 1, conclusion: (x) => imp(un('Neg', arg(x, 0)), imp(arg(x, 0), bot)) },
  { name: 'ax_PL_botE', arity: 1, conclusion: (x) => imp(bot, arg(x, 0)) },
  { name: 'ax_PL_k', arity: 2, conclusion: (x) => imp(arg(x, 0), imp(arg(x, 1), arg(x, 0))) },
  { name: 'ax_PL_and_intro', arity: 2, conclusion: (x) => imp(arg(x, 0), imp(arg(x, 1), bin('Conj', arg(x, 0), arg(x, 1)))) },
  { name: 'ax_PL_neg_intro', arity: 1, conclusion: (x) => imp(imp(arg(x, 0), bot), un('Neg', arg(x, 0))) },
  { name: 'ax_PL_imp_exch', arity: 3, conclusion: (x) => imp(imp(arg(x, 0), imp(arg(x, 1), arg(x, 2))), imp(arg(x, 1), imp(arg(x, 0), arg(x, 2)))) },
  { name: 'ax_PL_neg_imp_any', arity: 2, conclusion: (x) => imp(un('Neg', arg(x, 0)), imp(arg(x, 0), arg(x, 1))) },
  { name: 'ax_modal_dual_dia_box1', arity: 1, conclusion: (x) => imp(un('Neg', un('Dia', arg(x, 0))), un('Box', un('Neg', arg(x, 0)))) },
  { name: 'ax_modal_dual_dia_box2', arity: 1, conclusion: (x) => imp(un('Box', un('Neg', arg(x, 0))), un('Neg', un('Dia', arg(x, 0)))) },
  { name: 'ax_modal_dual_box_dia1', arity: 1, conclusion: (x) => imp(un('Neg', un('Box', arg(x, 0))), un('Dia', un('Neg', arg(x, 0)))) },
  { name: 'ax_modal_dual_box_dia2', arity: 1, conclusion: (x) => imp(un('Dia', un('Neg', arg(x, 0))), un('Neg', un('Box', arg(x, 0)))) },
];

/** Metavariable bindings with a trail, so a search can undo them on backtracking. */
export class Bindings {
  private readonly values = new Map<number, Term>();
  private readonly trail: number[] = [];
  private nextId = 0;

  fresh(): Term {
    return { t: 'var', id: this.nextId++ };
  }

  mark(): number {
    return this.trail.length;
  }

  undo(mark: number): void {
    while (this.trail.length > mark) {
      const id = this.trail.pop();
      if (id !== undefined) this.values.delete(id);
    }
  }

  walk(t: Term): Term {
    let current = t;
    while (current.t === 'var') {
      const bound = this.values.get(current.id);
      if (bound === undefined) return current;
      current = bound;
    }
    return current;
  }

  private occurs(id: number, t: Term): boolean {
    const w = this.walk(t);
    switch (w.t) {
      case 'var':
        return w.id === id;
      case 'Atom':
      case 'Bot':
        return false;
      case 'Neg':
      case 'Box':
      case 'Dia':
        return this.occurs(id, w.a);
      default:
        return this.occurs(id, w.a) || this.occurs(id, w.b);
    }
  }

  /** Unifies two terms, recording bindings; on failure the caller undoes to its mark. */
  unify(x: Term, y: Term): boolean {
    const a = this.walk(x);
    const b = this.walk(y);
    if (a === b) return true;
    if (a.t === 'var' || b.t === 'var') {
      const [v, other] = a.t === 'var' ? [a, b] : [b as Term & { t: 'var' }, a];
      if (other.t === 'var' && other.id === v.id) return true;
      if (this.occurs(v.id, other)) return false;
      this.values.set(v.id, other);
      this.trail.push(v.id);
      return true;
    }
    if (a.t !== b.t) return false;
    switch (a.t) {
      case 'Atom':
        return b.t === 'Atom' && a.n === b.n;
      case 'Bot':
        return true;
      case 'Neg':
      case 'Box':
      case 'Dia':
        return (b.t === 'Neg' || b.t === 'Box' || b.t === 'Dia') && this.unify(a.a, b.a);
      default:
        return (b.t === 'Conj' || b.t === 'Disj' || b.t === 'Impl') && this.unify(a.a, b.a) && this.unify(a.b, b.b);
    }
  }

  /** Tells whether a term still contains an unbound metavariable. */
  isGround(t: Term): boolean {
    const w = this.walk(t);
    switch (w.t) {
      case 'var':
        return false;
      case 'Atom':
      case 'Bot':
        return true;
      case 'Neg':
      case 'Box':
      case 'Dia':
        return this.isGround(w.a);
      default:
        return this.isGround(w.a) && this.isGround(w.b);
    }
  }

  /** Prints a term with its unbound metavariables numbered by first occurrence, so variants print alike. */
  printVariant(t: Term, names: Map<number, number> = new Map()): string {
    const w = this.walk(t);
    switch (w.t) {
      case 'var': {
        const known = names.get(w.id);
        if (known !== undefined) return `?${known}`;
        names.set(w.id, names.size);
        return `?${names.size - 1}`;
      }
      case 'Bot':
        return 'Bot';
      case 'Atom':
        return `(Atom ${w.n})`;
      case 'Neg':
      case 'Box':
      case 'Dia':
        return `(${w.t} ${this.printVariant(w.a, names)})`;
      default:
        return `(${w.t} ${this.printVariant(w.a, names)} ${this.printVariant(w.b, names)})`;
    }
  }

  /** Prints a term as a fully parenthesised Coq `form`; unbound metavariables become `Bot` (any instance of a schema is an axiom). */
  print(t: Term): string {
    const w = this.walk(t);
    switch (w.t) {
      case 'var':
      case 'Bot':
        return 'Bot';
      case 'Atom':
        return `(Atom ${w.n})`;
      case 'Neg':
      case 'Box':
      case 'Dia':
        return `(${w.t} ${this.print(w.a)})`;
      default:
        return `(${w.t} ${this.print(w.a)} ${this.print(w.b)})`;
    }
  }
}
