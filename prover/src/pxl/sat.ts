// A small CDCL SAT solver: two watched literals, first-UIP clause learning, non-chronological backjumping.
// Learning matters here: an S5 countermodel is several nearly independent worlds, and without it a refutation
// in one witness world would be repeated for every assignment of the others.

/** A clause: non-zero literals, `v` for variable v true and `-v` for it false. */
export type Clause = readonly number[];

/** The outcome of a SAT call; `model[v]` is the value of variable v. */
export type SatResult =
  | { readonly status: 'sat'; readonly model: readonly boolean[] }
  | { readonly status: 'unsat' }
  | { readonly status: 'unknown'; readonly reason: string };

/** Bounds on one SAT call. */
export interface SatLimits {
  readonly deadline: number;
  readonly maxSteps: number;
}

class Bound extends Error {}

class Solver {
  private readonly value: Int8Array;
  private readonly level: Int32Array;
  private readonly reason: Int32Array;
  private readonly rank: Int32Array;
  private readonly seen: Uint8Array;
  private readonly watches: number[][];
  private readonly clauses: number[][] = [];
  private readonly trail: number[] = [];
  private readonly levelStarts: number[] = [];
  private head = 0;
  private next = 0;
  steps = 0;

  constructor(
    private readonly variableCount: number,
    private readonly order: readonly number[],
    private readonly limits: SatLimits,
  ) {
    this.value = new Int8Array(variableCount + 1);
    this.level = new Int32Array(variableCount + 1);
    this.reason = new Int32Array(variableCount + 1).fill(-1);
    this.rank = new Int32Array(variableCount + 1);
    this.seen = new Uint8Array(variableCount + 1);
    this.watches = Array.from({ length: 2 * variableCount + 2 }, () => []);
    for (const [k, v] of order.entries()) this.rank[v] = k;
  }

  private slot(lit: number): number {
    return lit > 0 ? 2 * lit : -2 * lit + 1;
  }

  private litValue(lit: number): number {
    return lit > 0 ? (this.value[lit] ?? 0) : -(this.value[-lit] ?? 0);
  }

  private assign(lit: number, reason: number): void {
    const v = Math.abs(lit);
    this.value[v] = lit > 0 ? 1 : -1;
    this.level[v] = this.levelStarts.length;
    this.reason[v] = reason;
    this.trail.push(lit);
  }

  private tick(): void {
    this.steps++;
    if (this.steps > this.limits.maxSteps) throw new Bound(`SAT search exceeded ${this.limits.maxSteps} steps`);
    if ((this.steps & 0xfff) === 0 && Date.now() > this.limits.deadline) throw new Bound('time bound hit');
  }

  /** Adds an original clause at level 0; returns false when the formula is already unsatisfiable. */
  addClause(clause: Clause): boolean {
    const lits = [...new Set(clause)];
    if (lits.some((l) => lits.includes(-l))) return true;
    if (lits.length === 0) return false;
    if (lits.length === 1) {
      const lit = lits[0] ?? 0;
      const v = this.litValue(lit);
      if (v === 0) this.assign(lit, -1);
      return v >= 0;
    }
    this.watch(lits);
    return true;
  }

  private watch(lits: number[]): number {
    const index = this.clauses.length;
    this.clauses.push(lits);
    this.watches[this.slot(lits[0] ?? 0)]?.push(index);
    this.watches[this.slot(lits[1] ?? 0)]?.push(index);
    return index;
  }

  // Returns the index of a conflicting clause, or -1.
  propagate(): number {
    while (this.head < this.trail.length) {
      const falseLit = -(this.trail[this.head++] ?? 0);
      const list = this.watches[this.slot(falseLit)] ?? [];
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        this.tick();
        const index = list[i] ?? 0;
        const c = this.clauses[index] ?? [];
        if (c[0] === falseLit) {
          c[0] = c[1] ?? 0;
          c[1] = falseLit;
        }
        const other = c[0] ?? 0;
        if (this.litValue(other) > 0) {
          list[kept++] = index;
          continue;
        }
        let moved = false;
        for (let k = 2; k < c.length; k++) {
          const candidate = c[k] ?? 0;
          if (this.litValue(candidate) >= 0) {
            c[1] = candidate;
            c[k] = falseLit;
            this.watches[this.slot(candidate)]?.push(index);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        list[kept++] = index;
        if (this.litValue(other) < 0) {
          for (let j = i + 1; j < list.length; j++) list[kept++] = list[j] ?? 0;
          list.length = kept;
          return index;
        }
        this.assign(other, index);
      }
      list.length = kept;
    }
    return -1;
  }

  // First-UIP learning: returns the learnt clause (asserting literal first) and the level to jump back to.
  private analyze(conflict: number): { learnt: number[]; backLevel: number } {
    const current = this.levelStarts.length;
    const learnt: number[] = [0];
    let pending = 0;
    let p = 0;
    let index = this.trail.length - 1;
    let clause = conflict;
    do {
      for (const lit of this.clauses[clause] ?? []) {
        if (lit === p) continue;
        const v = Math.abs(lit);
        if (this.seen[v] === 1 || (this.level[v] ?? 0) === 0) continue;
        this.seen[v] = 1;
        if (this.level[v] === current) pending++;
        else learnt.push(lit);
      }
      while (this.seen[Math.abs(this.trail[index] ?? 0)] !== 1) index--;
      p = this.trail[index--] ?? 0;
      clause = this.reason[Math.abs(p)] ?? -1;
      this.seen[Math.abs(p)] = 0;
      pending--;
    } while (pending > 0);
    learnt[0] = -p;
    let backLevel = 0;
    let at = 1;
    for (let k = 1; k < learnt.length; k++) {
      const v = Math.abs(learnt[k] ?? 0);
      this.seen[v] = 0;
      if ((this.level[v] ?? 0) > backLevel) {
        backLevel = this.level[v] ?? 0;
        at = k;
      }
    }
    // The second watch must be the literal from the backjump level, so the clause becomes unit there.
    [learnt[1], learnt[at]] = [learnt[at] ?? 0, learnt[1] ?? 0];
    return { learnt, backLevel };
  }

  private cancelUntil(target: number): void {
    const start = this.levelStarts[target];
    if (start === undefined) return;
    while (this.trail.length > start) {
      const v = Math.abs(this.trail.pop() ?? 0);
      this.value[v] = 0;
      this.reason[v] = -1;
      this.next = Math.min(this.next, this.rank[v] ?? 0);
    }
    this.levelStarts.length = target;
    this.head = this.trail.length;
  }

  solve(): SatResult {
    try {
      if (this.propagate() >= 0) return { status: 'unsat' };
      for (;;) {
        const conflict = this.propagate();
        if (conflict >= 0) {
          if (this.levelStarts.length === 0) return { status: 'unsat' };
          const { learnt, backLevel } = this.analyze(conflict);
          this.cancelUntil(backLevel);
          const asserting = learnt[0] ?? 0;
          this.assign(asserting, learnt.length === 1 ? -1 : this.watch(learnt));
          continue;
        }
        while (this.next < this.order.length && this.value[this.order[this.next] ?? 0] !== 0) this.next++;
        const variable = this.order[this.next];
        if (variable === undefined) return { status: 'sat', model: Array.from(this.value, (v) => v > 0) };
        this.tick();
        this.levelStarts.push(this.trail.length);
        // False first: countermodels then make few atoms true.
        this.assign(-variable, -1);
      }
    } catch (err) {
      if (err instanceof Bound) return { status: 'unknown', reason: err.message };
      throw err;
    }
  }
}

/**
 * Solves a CNF over variables 1..variableCount. `decisionOrder` lists the variables worth branching on first
 * (the rest follow by propagation); any variable not listed is decided after them.
 */
export function solveSat(variableCount: number, clauses: readonly Clause[], limits: SatLimits, decisionOrder: readonly number[] = []): SatResult {
  const listed = new Set(decisionOrder);
  const order = [...decisionOrder, ...Array.from({ length: variableCount }, (_, i) => i + 1).filter((v) => !listed.has(v))];
  const solver = new Solver(variableCount, order, limits);
  for (const clause of clauses) if (!solver.addClause(clause)) return { status: 'unsat' };
  return solver.solve();
}
