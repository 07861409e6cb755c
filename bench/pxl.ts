// Benchmark of the PXL goal language: parse and countermodel time against goal size, atoms and modal subformulas.
// Run with `npm run bench:pxl` after `npm run build`; prints tables, asserts nothing.

import { findCountermodel, parseGoal, printFormula, searchDerivation, type Formula } from '../prover/src/pxl/index.js';
import { goalLimits } from '../prover/src/pxl/limits.js';

function timeIt(run: () => unknown, budgetMs = 300): { medianMs: number; runs: number } {
  const samples: number[] = [];
  const stop = performance.now() + budgetMs;
  do {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  } while (performance.now() < stop && samples.length < 1000);
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)] ?? 0, runs: samples.length };
}

function parseOk(text: string): Formula {
  const result = parseGoal(text);
  if (!result.ok) throw new Error(`${text.slice(0, 80)}: ${result.error.message}`);
  return result.formula;
}

// A balanced tree keeps the depth logarithmic, so size alone is measured.
function balanced(leaves: number, atoms: number, offset = 0): string {
  if (leaves <= 1) return offset % 3 === 0 ? `BOX(Good(a${offset % atoms}))` : `a${offset % atoms}`;
  const half = Math.floor(leaves / 2);
  const ops = ['and', 'or', '->'];
  return `(${balanced(half, atoms, offset)} ${ops[offset % 3] ?? 'and'} ${balanced(leaves - half, atoms, offset + half)})`;
}

function printTable(title: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  process.stdout.write(`\n${title}\n`);
  for (const [k, row] of cells.entries()) {
    process.stdout.write(`${row.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ')}\n`);
    if (k === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
}

const parseRows: (string | number)[][] = [];
for (const leaves of [4, 32, 256, 1024, 1400]) {
  const text = balanced(leaves, 8);
  if (text.length > goalLimits.maxLength) continue;
  const { medianMs, runs } = timeIt(() => parseGoal(text));
  parseRows.push([leaves, text.length, medianMs.toFixed(3), runs]);
}
const deep = `${'('.repeat(10_000)}p${')'.repeat(10_000)}`;
parseRows.push(['reject 10k-deep', deep.length, timeIt(() => parseGoal(deep)).medianMs.toFixed(3), '-']);
printTable('parse: balanced goals', ['leaves', 'chars', 'median ms', 'runs'], parseRows);

// Families where the number of modal subformulas (and so of worlds) grows with n.
const families: { name: string; build: (n: number) => string }[] = [
  { name: 'distribution (invalid)', build: (n) => `BOX(${range(n).map((i) => `p${i}`).join(' or ')}) -> ${range(n).map((i) => `BOX(p${i})`).join(' or ')}` },
  { name: 'distribution (valid)', build: (n) => `BOX(${range(n).map((i) => `p${i}`).join(' and ')}) -> ${range(n).map((i) => `BOX(p${i})`).join(' and ')}` },
  { name: 'diamonds to box (valid)', build: (n) => `${range(n).map((i) => `DIA(p${i})`).join(' and ')} -> BOX(${range(n).map((i) => `DIA(p${i})`).join(' and ')})` },
  { name: 'nested modalities (invalid)', build: (n) => range(n).reduce((f, i) => (i % 2 === 0 ? `BOX(p${i} or ${f})` : `DIA(p${i} and ${f})`), 'q') + ' -> q' },
  { name: 'BOX(pigeonhole n+1 in n) (valid)', build: pigeonhole },
];

// Joins operands as a balanced tree, so long conjunctions stay within the depth bound.
function joinBalanced(parts: readonly string[], op: string): string {
  if (parts.length <= 1) return parts[0] ?? 'True';
  const half = Math.ceil(parts.length / 2);
  return `(${joinBalanced(parts.slice(0, half), op)} ${op} ${joinBalanced(parts.slice(half), op)})`;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

// The propositional pigeonhole principle (n+1 pigeons, n holes) under a box: S5-valid, exponential for DPLL.
function pigeonhole(n: number): string {
  const pigeons = range(n + 1);
  const holes = range(n);
  const somewhere = pigeons.map((i) => `(${holes.map((h) => `x${i}_${h}`).join(' or ')})`);
  const clash = holes.flatMap((h) => pigeons.flatMap((i) => pigeons.filter((k) => k > i).map((k) => `not (x${i}_${h} and x${k}_${h})`)));
  return `BOX(not ${joinBalanced([...somewhere, ...clash], 'and')})`;
}

const modelRows: (string | number)[][] = [];
for (const family of families) {
  for (const n of family.build === pigeonhole ? [2, 3, 4, 5, 6, 7, 8, 9, 10] : [1, 4, 16, 32, 64, 96, 128, 129]) {
    const text = family.build(n);
    if (text.length > goalLimits.maxLength) continue;
    const parsed = parseGoal(text);
    if (!parsed.ok) {
      modelRows.push([family.name, n, text.length, '-', parsed.error.message.slice(0, 40)]);
      continue;
    }
    let status = '';
    const { medianMs } = timeIt(() => {
      const result = findCountermodel(parsed.formula, { timeMs: 2000 });
      status = result.status === 'unknown' ? `unknown: ${result.reason.slice(0, 48)}` : result.status;
    }, 200);
    modelRows.push([family.name, n, text.length, medianMs.toFixed(2), status]);
    if (status.startsWith('unknown')) break;
  }
}
printTable('countermodel: families (default bounds, 2000 ms)', ['family', 'n', 'chars', 'median ms', 'status'], modelRows);

// Random-looking goals over a growing number of atoms, built deterministically.
const atomRows: (string | number)[][] = [];
for (const atoms of [2, 4, 8, 16, 32, 64]) {
  const text = balanced(Math.min(4 * atoms, 1024), atoms);
  const f = parseOk(text);
  let status = '';
  const { medianMs } = timeIt(() => {
    status = findCountermodel(f).status;
  }, 200);
  atomRows.push([atoms, text.length, medianMs.toFixed(2), status]);
}
printTable('countermodel: balanced goals by atom count', ['atoms', 'chars', 'median ms', 'status'], atomRows);

const derivationRows: (string | number)[][] = [];
for (const goal of ['BOX(p -> q) -> (BOX(p) -> BOX(q))', 'p -> p', 'BOX(p -> p)', 'not BOX(p) <-> DIA(not p)', 'p or not p', 'p -> BOX(DIA(p))']) {
  const f = parseOk(goal);
  let outcome = '';
  const { medianMs } = timeIt(() => {
    const result = searchDerivation(f);
    outcome = result.found ? `found (${result.proof.length} chars)` : result.reason.slice(0, 60);
  }, 200);
  derivationRows.push([printFormula(f), medianMs.toFixed(2), outcome]);
}
printTable('derivation search (default bounds)', ['goal', 'median ms', 'outcome'], derivationRows);
