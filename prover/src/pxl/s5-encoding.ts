// Encodes "the goal is false at world 0 of an S5 model" as CNF over a bounded number of worlds.
// S5's accessibility is universal, so each modal subformula has one truth value for the whole model (a global
// variable) and needs at most one witness world; the model has one world per modal subformula plus one.

import type { Formula } from './formula.js';
import type { Clause } from './sat.js';

// A hash-consed node: identical subformulas share one id, so `BOX(p)` written twice is one modal variable.
type Node =
  | { readonly kind: 'atom'; readonly name: string }
  | { readonly kind: 'top' | 'bot' }
  | { readonly kind: 'not' | 'box' | 'dia'; readonly arg: number }
  | { readonly kind: 'and' | 'or' | 'imp' | 'iff'; readonly left: number; readonly right: number };

/** The CNF and how to read a model back from it. */
export interface S5Encoding {
  readonly variableCount: number;
  readonly clauses: Clause[];
  readonly worldCount: number;
  /** For each world, the SAT variable of each atom that occurs (by surface name). */
  readonly atomVariables: readonly ReadonlyMap<string, number>[];
  /** The variables a model is made of (modal globals, then atoms world by world); Tseitin variables follow from them. */
  readonly inputs: readonly number[];
}

/** Shape of a goal that decides whether encoding it is affordable. */
export interface GoalShape {
  readonly modalSubformulas: number;
  readonly atoms: number;
  readonly nodes: number;
}

class NodeTable {
  readonly nodes: Node[] = [];
  private readonly ids = new Map<string, number>();

  intern(f: Formula): number {
    let node: Node;
    switch (f.kind) {
      case 'atom':
      case 'top':
      case 'bot':
        node = f;
        break;
      case 'not':
      case 'box':
      case 'dia':
        node = { kind: f.kind, arg: this.intern(f.arg) };
        break;
      default:
        node = { kind: f.kind, left: this.intern(f.left), right: this.intern(f.right) };
    }
    const key = JSON.stringify(node);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    this.nodes.push(node);
    this.ids.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }
}

/** Interns a goal and measures it, so callers can refuse goals that would be too costly to encode. */
export function measureGoal(f: Formula): GoalShape & { readonly table: NodeTable; readonly root: number } {
  const table = new NodeTable();
  const root = table.intern(f);
  const modalSubformulas = table.nodes.filter((n) => n.kind === 'box' || n.kind === 'dia').length;
  const atoms = table.nodes.filter((n) => n.kind === 'atom').length;
  return { modalSubformulas, atoms, nodes: table.nodes.length, table, root };
}

/** Builds the CNF whose models are S5 countermodels of the measured goal. */
export function encodeCountermodel(measured: ReturnType<typeof measureGoal>): S5Encoding {
  const { table, root } = measured;
  const nodes = table.nodes;
  const modalIds = nodes.flatMap((n, id) => (n.kind === 'box' || n.kind === 'dia' ? [id] : []));
  const worldCount = modalIds.length + 1;
  const witnessOf = new Map(modalIds.map((id, k) => [id, k + 1]));
  const clauses: Clause[] = [];
  let variableCount = 0;
  const fresh = (): number => ++variableCount;
  const truthVariable = fresh();
  clauses.push([truthVariable]);
  const globals = new Map(modalIds.map((id) => [id, fresh()]));
  const atomVariables = Array.from({ length: worldCount }, () => new Map<string, number>());
  const literals = Array.from({ length: worldCount }, () => new Map<number, number>());

  // Literal of node `id` at world `w`; Tseitin definitions in both directions because negation occurs.
  const literal = (id: number, w: number): number => {
    const cached = literals[w]?.get(id);
    if (cached !== undefined) return cached;
    const node = nodes[id];
    let lit: number;
    if (node === undefined) throw new Error(`internal: no node ${id}`);
    switch (node.kind) {
      case 'atom': {
        lit = fresh();
        atomVariables[w]?.set(node.name, lit);
        break;
      }
      case 'top':
        lit = truthVariable;
        break;
      case 'bot':
        lit = -truthVariable;
        break;
      case 'not':
        lit = -literal(node.arg, w);
        break;
      case 'box':
      case 'dia':
        lit = globals.get(id) ?? 0;
        break;
      default: {
        const a = literal(node.left, w);
        const b = literal(node.right, w);
        const v = fresh();
        lit = v;
        if (node.kind === 'and') clauses.push([-v, a], [-v, b], [v, -a, -b]);
        else if (node.kind === 'or') clauses.push([-v, a, b], [v, -a], [v, -b]);
        else if (node.kind === 'imp') clauses.push([-v, -a, b], [v, a], [v, -b]);
        else clauses.push([-v, -a, b], [-v, a, -b], [v, a, b], [v, -a, -b]);
      }
    }
    literals[w]?.set(id, lit);
    return lit;
  };

  for (const id of modalIds) {
    const node = nodes[id];
    if (node?.kind !== 'box' && node?.kind !== 'dia') continue;
    const g = globals.get(id) ?? 0;
    const witness = witnessOf.get(id) ?? 0;
    for (let w = 0; w < worldCount; w++) {
      const body = literal(node.arg, w);
      // □x: true forces x everywhere, false needs a witness where x fails. ◇x dually.
      clauses.push(node.kind === 'box' ? [-g, body] : [-body, g]);
    }
    const atWitness = literal(node.arg, witness);
    clauses.push(node.kind === 'box' ? [g, -atWitness] : [-g, atWitness]);
  }
  clauses.push([-literal(root, 0)]);
  const inputs = [...globals.values(), ...atomVariables.flatMap((vars) => [...vars.values()])];
  return { variableCount, clauses, worldCount, atomVariables, inputs };
}
