import { expect } from 'chai';
import { execa } from 'execa';
import fc from 'fast-check';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGoal, searchDerivation, translateGoal, type Formula } from '../../../prover/src/pxl/index.js';
import { arbitraryFormula } from '../../unit/pxl/brute-force.js';

const kernelSource = fileURLToPath(new URL('../../../../prover/kernel/PXLv3.v', import.meta.url));

// Results then depend only on the deterministic step bound, not on how loaded the machine is.
const steady = { timeMs: 600_000 } as const;

function parseOk(text: string): Formula {
  const result = parseGoal(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.formula;
}

interface Obligation {
  readonly statement: string;
  readonly script: string;
}

// One coqc run per batch keeps the suite fast; each theorem prints its own assumptions.
async function checkWithCoq(dir: string, name: string, obligations: readonly Obligation[]): Promise<{ exitCode: number; output: string }> {
  const body = obligations
    .map((o, i) => `Theorem t${i} : ${o.statement}.\nProof. ${o.script} Qed.\nPrint Assumptions t${i}.\n`)
    .join('');
  const file = join(dir, `${name}.v`);
  await writeFile(file, `From PXLs Require Import PXLv3.\n${body}`);
  const result = await execa('coqc', ['-Q', dir, 'PXLs', file], { cwd: dir, reject: false, all: true, timeout: 60_000 });
  return { exitCode: result.exitCode ?? -1, output: result.all };
}

function obligationFor(goal: Formula): Obligation {
  const derived = searchDerivation(goal, steady);
  if (!derived.found) throw new Error(`no derivation: ${derived.reason}`);
  return { statement: translateGoal(goal).statement, script: derived.proof };
}

function countClosed(output: string): number {
  return output.split('Closed under the global context').length - 1;
}

describe('searchDerivation checked by real coqc', function () {
  let dir = '';

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'pxl-derivation-'));
    await copyFile(kernelSource, join(dir, 'PXLv3.v'));
    await execa('coqc', ['-Q', dir, 'PXLs', join(dir, 'PXLv3.v')], { cwd: dir });
  });

  after(async function () {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  describe('when the goals come from the required table', () => {
    const goals = [
      'BOX(p -> q) -> (BOX(p) -> BOX(q))', 'BOX(p) -> p', 'BOX(p) -> BOX(BOX(p))', 'DIA(p) -> BOX(DIA(p))',
      'p -> p', 'p and q -> p', 'p -> (q -> p)', 'BOX(p -> p)', 'True',
      'not DIA(p) -> BOX(not p)', 'BOX(not p) -> not DIA(p)', 'not BOX(p) -> DIA(not p)', 'DIA(not p) -> not BOX(p)',
      'not DIA(p) <-> BOX(not p)', 'not BOX(p) <-> DIA(not p)', 'BOX(p and q) -> BOX(p)', 'p <-> p',
      'p -> not not p', 'BOX(BOX(p) -> p)', 'BOX(Good(a) -> Safe(a)) -> BOX(Good(a)) -> BOX(Safe(a))',
      '(p -> q) -> (q -> r) -> p -> r', 'p -> p or q', 'False -> BOX(p)', 'BOX(p) -> BOX(q) -> BOX(p and q)',
      'BOX(p -> q) -> BOX(q -> r) -> BOX(p -> r)', 'BOX(BOX(p)) -> p', 'p or p -> p', 'BOX(p -> q) -> BOX(p) -> q',
    ];
    for (let start = 0; start < goals.length; start += 12) {
      const batch = goals.slice(start, start + 12);
      it(`proves exactly each translated statement, closed (${batch.length} goals from ${batch[0] ?? ''})`, async function () {
        const result = await checkWithCoq(dir, `Table${start}`, batch.map((g) => obligationFor(parseOk(g))));
        expect(result.exitCode, result.output).to.equal(0);
        expect(countClosed(result.output), result.output).to.equal(batch.length);
      });
    }
  });

  describe('when the goals are random formulas', () => {
    it('proves every statement it claims to derive', async function () {
      const formulas = fc.sample(arbitraryFormula(['p', 'q', 'Good(a)'], 4), { numRuns: 200, seed: 4242 });
      const obligations = formulas.flatMap((f) => {
        const derived = searchDerivation(f, { ...steady, maxSteps: 5_000 });
        return derived.found ? [{ statement: translateGoal(f).statement, script: derived.proof }] : [];
      });
      expect(obligations.length).to.be.at.least(10);
      const result = await checkWithCoq(dir, 'Random', obligations);
      expect(result.exitCode, result.output).to.equal(0);
      expect(countClosed(result.output)).to.equal(obligations.length);
    });
  });

  describe('when the goals are axiom instances over random formulas', () => {
    it('proves each with a closed term', async function () {
      const pairs = fc.sample(fc.tuple(arbitraryFormula(['p', 'Good(a)'], 3), arbitraryFormula(['q', 'p'], 3)), { numRuns: 30, seed: 77 });
      const goals = pairs.flatMap(([a, b]): Formula[] => [
        { kind: 'imp', left: { kind: 'box', arg: { kind: 'imp', left: a, right: b } }, right: { kind: 'imp', left: { kind: 'box', arg: a }, right: { kind: 'box', arg: b } } },
        { kind: 'imp', left: { kind: 'dia', arg: a }, right: { kind: 'box', arg: { kind: 'dia', arg: a } } },
        { kind: 'box', arg: { kind: 'imp', left: { kind: 'box', arg: a }, right: a } },
      ]);
      const result = await checkWithCoq(dir, 'Instances', goals.map(obligationFor));
      expect(result.exitCode, result.output).to.equal(0);
      expect(countClosed(result.output)).to.equal(goals.length);
    });
  });

  describe('when a script is paired with another statement', () => {
    it('is rejected by Coq, so the check above can fail', async function () {
      const script = obligationFor(parseOk('BOX(p) -> p')).script;
      const result = await checkWithCoq(dir, 'Mismatch', [{ statement: translateGoal(parseOk('BOX(q) -> BOX(BOX(q)) -> p')).statement, script }]);
      expect(result.exitCode).to.not.equal(0);
      expect(result.output).to.match(/Error/);
    });
  });
});
