// Bounded backward search for a derivation in PXLv3's Hilbert system, emitted as one Coq proof term.
// Goals are closed by an axiom instance, by `nec` on a boxed goal, or by `mp` chains whose major premise is an
// axiom whose conclusion-tail unifies with the goal (iterative deepening, Prolog-style with metavariables).

import type { Formula } from './formula.js';
import { axiomSchemas, Bindings, toKernelTerm, type AxiomSchema, type Term } from './kernel-term.js';
import { numberAtoms } from './translate.js';

/** Bounds on the derivation search. */
export interface DerivationLimits {
  /** Deepest proof tree, counting `mp` and `nec` steps (default 6). */
  readonly maxDepth?: number;
  /** Most unification attempts (default 100 000). */
  readonly maxSteps?: number;
  /** Wall-clock budget (default 1000 ms). */
  readonly timeMs?: number;
  /** Longest proof term emitted (default 1 MiB of text). */
  readonly maxProofChars?: number;
}

/** The outcome of the derivation search: a Coq tactic script for the translated statement, or why none was found. */
export type DerivationResult = { readonly found: true; readonly proof: string } | { readonly found: false; readonly reason: string };

/** Default bounds of searchDerivation. */
export const derivationDefaults = { maxDepth: 6, maxSteps: 100_000, timeMs: 1000, maxProofChars: 1_048_576 } as const;

type Proof =
  | { readonly rule: 'axiom'; readonly name: string; readonly args: readonly Term[] }
  | { readonly rule: 'mp'; readonly premise: Term; readonly conclusion: Term; readonly major: Proof; readonly minor: Proof }
  | { readonly rule: 'nec'; readonly body: Term; readonly sub: Proof };

// An axiom used as the major premise of k nested `mp`s: the goal must unify with what is left after k hypotheses.
interface Tail {
  readonly schema: AxiomSchema;
  readonly hypotheses: number;
  // The tail over placeholder variables, to reject non-matching goals without allocating an instance.
  readonly pattern: Term;
}

class SearchBoundHit extends Error {}

function peel(t: Term, k: number): { hypotheses: Term[]; rest: Term } {
  const hypotheses: Term[] = [];
  let rest = t;
  for (let i = 0; i < k && rest.t === 'Impl'; i++) {
    hypotheses.push(rest.a);
    rest = rest.b;
  }
  return { hypotheses, rest };
}

// Tails whose conclusion is a bare schema variable would match every goal and only loop back to it; they are left out.
const tails: readonly Tail[] = axiomSchemas.flatMap((schema) => {
  const probe = new Bindings();
  const concl = schema.conclusion(Array.from({ length: schema.arity }, () => probe.fresh()));
  const result: Tail[] = [];
  for (let k = 1; ; k++) {
    const { hypotheses, rest } = peel(concl, k);
    if (hypotheses.length < k) break;
    if (rest.t !== 'var') result.push({ schema, hypotheses: k, pattern: rest });
  }
  return result;
});

const axiomPatterns: readonly Term[] = axiomSchemas.map((schema) => {
  const probe = new Bindings();
  return schema.conclusion(Array.from({ length: schema.arity }, () => probe.fresh()));
});

class Search {
  readonly bindings = new Bindings();
  steps = 0;
  private readonly solvedGround = new Map<string, Proof>();
  private readonly failed = new Map<string, number>();

  constructor(
    private readonly maxSteps: number,
    private readonly deadline: number,
  ) {}

  private tick(): void {
    this.steps++;
    if (this.steps > this.maxSteps) throw new SearchBoundHit(`step bound of ${this.maxSteps} hit`);
    if ((this.steps & 0xfff) === 0 && Date.now() > this.deadline) throw new SearchBoundHit('time bound hit');
  }

  // A ground goal binds nothing, so its first proof is as good as any: no backtracking into it, and results are cached.
  // A goal whose enumeration ended with no proof has no provable instance at that depth, so failures are cached
  // for every goal up to renaming of its metavariables.
  *prove(goal: Term, depth: number): Generator<Proof> {
    const b = this.bindings;
    const ground = b.isGround(goal);
    const key = b.printVariant(goal);
    if ((this.failed.get(key) ?? -1) >= depth) return;
    if (ground) {
      const known = this.solvedGround.get(key);
      if (known !== undefined) {
        yield known;
        return;
      }
      for (const proof of this.proveOnce(goal, depth)) {
        this.solvedGround.set(key, proof);
        yield proof;
        return;
      }
    } else {
      let any = false;
      for (const proof of this.proveOnce(goal, depth)) {
        any = true;
        yield proof;
      }
      if (any) return;
    }
    this.failed.set(key, depth);
  }

  private *proveOnce(goal: Term, depth: number): Generator<Proof> {
    const b = this.bindings;
    for (const [index, schema] of axiomSchemas.entries()) {
      this.tick();
      if (!this.mayMatch(axiomPatterns[index], goal)) continue;
      const mark = b.mark();
      const args = Array.from({ length: schema.arity }, () => b.fresh());
      if (b.unify(goal, schema.conclusion(args))) yield { rule: 'axiom', name: schema.name, args };
      b.undo(mark);
    }
    const shape = b.walk(goal);
    // An unconstrained goal only asks for some theorem: any axiom instance above is enough.
    if (depth === 0 || shape.t === 'var') return;
    if (shape.t === 'Box') {
      for (const sub of this.prove(shape.a, depth - 1)) yield { rule: 'nec', body: shape.a, sub };
    }
    for (const tail of tails) {
      this.tick();
      if (!this.mayMatch(tail.pattern, goal)) continue;
      const mark = b.mark();
      const args = Array.from({ length: tail.schema.arity }, () => b.fresh());
      const concl = tail.schema.conclusion(args);
      const { hypotheses, rest } = peel(concl, tail.hypotheses);
      if (b.unify(goal, rest)) {
        for (const minors of this.proveAll(hypotheses, depth - 1)) {
          yield this.chain({ rule: 'axiom', name: tail.schema.name, args }, concl, minors);
        }
      }
      b.undo(mark);
    }
  }

  // A necessary condition for unification that treats pattern variables as wildcards and allocates nothing.
  private mayMatch(pattern: Term | undefined, goal: Term): boolean {
    if (pattern === undefined || pattern.t === 'var') return true;
    const g = this.bindings.walk(goal);
    if (g.t === 'var') return true;
    switch (pattern.t) {
      case 'Atom':
        return g.t === 'Atom' && g.n === pattern.n;
      case 'Bot':
        return g.t === 'Bot';
      case 'Neg':
      case 'Box':
      case 'Dia':
        return g.t === pattern.t && this.mayMatch(pattern.a, g.a);
      default:
        return g.t === pattern.t && this.mayMatch(pattern.a, g.a) && this.mayMatch(pattern.b, g.b);
    }
  }

  // Proves hypotheses most-constrained first, re-choosing after each proof because it may bind metavariables.
  private *proveAll(hypotheses: readonly Term[], depth: number): Generator<Proof[]> {
    const proofs: Proof[] = new Array<Proof>(hypotheses.length);
    const step = function* (this: Search, remaining: readonly number[]): Generator<Proof[]> {
      if (remaining.length === 0) {
        yield [...proofs];
        return;
      }
      let best = remaining[0] ?? 0;
      for (const i of remaining) if (this.weight(hypotheses[i]) < this.weight(hypotheses[best])) best = i;
      const rest = remaining.filter((i) => i !== best);
      for (const proof of this.prove(hypotheses[best] ?? { t: 'Bot' }, depth)) {
        proofs[best] = proof;
        yield* step.call(this, rest);
      }
    };
    yield* step.call(this, hypotheses.map((_, i) => i));
  }

  // Lower is more constrained: ground goals first, bare metavariables last, otherwise more fixed structure first.
  private weight(t: Term | undefined): number {
    if (t === undefined) return Number.MAX_SAFE_INTEGER;
    const w = this.bindings.walk(t);
    if (w.t === 'var') return Number.MAX_SAFE_INTEGER;
    if (this.bindings.isGround(w)) return -Number.MAX_SAFE_INTEGER;
    return -this.countFixed(w);
  }

  private countFixed(t: Term): number {
    const w = this.bindings.walk(t);
    switch (w.t) {
      case 'var':
        return 0;
      case 'Atom':
      case 'Bot':
        return 1;
      case 'Neg':
      case 'Box':
      case 'Dia':
        return 1 + this.countFixed(w.a);
      default:
        return 1 + this.countFixed(w.a) + this.countFixed(w.b);
    }
  }

  private chain(major: Proof, concl: Term, minors: readonly Proof[]): Proof {
    let proof = major;
    let rest = concl;
    for (const minor of minors) {
      if (rest.t !== 'Impl') break;
      proof = { rule: 'mp', premise: rest.a, conclusion: rest.b, major: proof, minor };
      rest = rest.b;
    }
    return proof;
  }

  // Prints the proof term; its size is bounded because shared sub-proofs of a large goal print once per use.
  printProof(proof: Proof, maxChars: number): string {
    const b = this.bindings;
    const out: string[] = [];
    let length = 0;
    const emit = (text: string): void => {
      length += text.length;
      if (length > maxChars) throw new SearchBoundHit(`the derivation found is longer than ${maxChars} characters`);
      out.push(text);
    };
    const visit = (p: Proof): void => {
      switch (p.rule) {
        case 'axiom':
          emit(p.args.length === 0 ? p.name : `(${p.name} ${p.args.map((a) => b.print(a)).join(' ')})`);
          return;
        case 'nec':
          emit(`(nec ${b.print(p.body)} `);
          visit(p.sub);
          emit(')');
          return;
        case 'mp':
          emit(`(mp ${b.print(p.premise)} ${b.print(p.conclusion)} `);
          visit(p.major);
          emit(' ');
          visit(p.minor);
          emit(')');
      }
    };
    visit(proof);
    return out.join('');
  }
}

/** Searches the kernel's Hilbert system for a derivation of the goal and emits it as a Coq tactic script. */
export function searchDerivation(f: Formula, limits: DerivationLimits = {}): DerivationResult {
  const bounds = { ...derivationDefaults, ...limits };
  const search = new Search(bounds.maxSteps, Date.now() + bounds.timeMs);
  try {
    const goal = toKernelTerm(f, numberAtoms(f));
    for (let depth = 0; depth <= bounds.maxDepth; depth++) {
      for (const proof of search.prove(goal, depth)) {
        return { found: true, proof: `exact ${search.printProof(proof, bounds.maxProofChars)}.` };
      }
    }
    return { found: false, reason: `no derivation found up to depth ${bounds.maxDepth} (${search.steps} steps)` };
  } catch (err) {
    if (err instanceof SearchBoundHit) return { found: false, reason: `derivation search stopped: ${err.message} (${search.steps} steps)` };
    if (err instanceof RangeError) return { found: false, reason: 'derivation search stopped: goal too deep to search' };
    throw err;
  }
}
