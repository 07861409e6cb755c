// A small DPLL SAT solver (unit propagation, chronological backtracking) with a step and time bound.

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

/** Solves a CNF over variables 1..variableCount, deciding variables false first so models have few true atoms. */
export function solveSat(variableCount: number, clauses: readonly Clause[], limits: SatLimits): SatResult {
  const value = new Int8Array(variableCount + 1);
  // occurrences[2v] lists clauses containing v, occurrences[2v+1] those containing -v.
  const occurrences: number[][] = Array.from({ length: 2 * variableCount + 2 }, () => []);
  const slot = (lit: number): number => (lit > 0 ? 2 * lit : -2 * lit + 1);
  const trail: number[] = [];
  const assign = (lit: number): void => {
    value[Math.abs(lit)] = lit > 0 ? 1 : -1;
    trail.push(lit);
  };
  const litValue = (lit: number): number => (lit > 0 ? (value[lit] ?? 0) : -(value[-lit] ?? 0));
  for (const [index, clause] of clauses.entries()) {
    if (clause.length === 0) return { status: 'unsat' };
    for (const lit of clause) occurrences[slot(lit)]?.push(index);
  }
  let head = 0;
  let steps = 0;
  const propagate = (): boolean => {
    while (head < trail.length) {
      const lit = trail[head++] ?? 0;
      for (const index of occurrences[slot(-lit)] ?? []) {
        steps++;
        const clause = clauses[index] ?? [];
        let open = 0;
        let last = 0;
        let satisfied = false;
        for (const l of clause) {
          const v = litValue(l);
          if (v > 0) {
            satisfied = true;
            break;
          }
          if (v === 0) {
            open++;
            last = l;
          }
        }
        if (satisfied) continue;
        if (open === 0) return false;
        if (open === 1) assign(last);
      }
    }
    return true;
  };
  // Unit clauses seed the trail.
  for (const clause of clauses) {
    if (clause.length !== 1) continue;
    const lit = clause[0] ?? 0;
    const v = litValue(lit);
    if (v < 0) return { status: 'unsat' };
    if (v === 0) assign(lit);
  }
  const decisions: { readonly trailIndex: number; readonly lit: number; flipped: boolean }[] = [];
  let next = 1;
  for (;;) {
    if (steps > limits.maxSteps) return { status: 'unknown', reason: `SAT search exceeded ${limits.maxSteps} steps` };
    if ((steps & 0x3ff) === 0 && Date.now() > limits.deadline) return { status: 'unknown', reason: 'time bound hit' };
    steps++;
    if (!propagate()) {
      let decision = decisions.pop();
      while (decision?.flipped) decision = decisions.pop();
      if (decision === undefined) return { status: 'unsat' };
      while (trail.length > decision.trailIndex) value[Math.abs(trail.pop() ?? 0)] = 0;
      head = decision.trailIndex;
      decisions.push({ trailIndex: decision.trailIndex, lit: -decision.lit, flipped: true });
      assign(-decision.lit);
      next = Math.min(next, Math.abs(decision.lit));
      continue;
    }
    while (next <= variableCount && value[next] !== 0) next++;
    if (next > variableCount) {
      return { status: 'sat', model: Array.from(value, (v) => v > 0) };
    }
    decisions.push({ trailIndex: trail.length, lit: -next, flipped: false });
    assign(-next);
  }
}
