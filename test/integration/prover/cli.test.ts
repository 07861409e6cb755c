import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './prover-process.js';

function runPxl(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/pxl.js'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function rowsOf(stdout: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const line of stdout.split('\n').slice(1)) {
    const [name, ...cells] = line.trim().split(/\s+/);
    if (name !== undefined && name !== '' && !name.endsWith(':')) rows[name] = cells;
  }
  return rows;
}

describe('pxl CLI (embedded prover, real Coq)', function () {
  this.timeout(180_000);

  describe('verify', () => {
    describe('when every request is provable', () => {
      it('prints a table of Proved rows and exits 0', () => {
        const { code, stdout, stderr } = runPxl(['verify', 'test/fixtures/requests/all-proved.yaml']);
        expect(code, stderr + stdout).to.equal(0);
        expect(stdout.split('\n')[0]).to.match(/^NAME\s+PHASE\s+REASON\s+DURATION$/);
        const rows = rowsOf(stdout);
        expect(Object.keys(rows)).to.deep.equal(['box-k', 'box-t-goal', 'four-source']);
        for (const cells of Object.values(rows)) expect(cells.slice(0, 2)).to.deep.equal(['Proved', 'Proved']);
      });
    });

    describe('when some requests are not Proved', () => {
      it('reports each verdict and exits 1', () => {
        const { code, stdout } = runPxl(['verify', 'test/fixtures/requests/mixed.yaml']);
        expect(code).to.equal(1);
        const rows = rowsOf(stdout);
        expect(rows['proved-k']?.[0]).to.equal('Proved');
        expect(rows['refuted-necessitation']?.[0]).to.equal('Refuted');
        expect(rows['failed-wrong-axiom']?.[0]).to.equal('Failed');
        expect(rows['rejected-parse-error']?.slice(0, 2)).to.deep.equal(['Rejected', 'ParseError']);
        expect(rows['rejected-bad-spec']?.slice(0, 2)).to.deep.equal(['Rejected', 'InvalidManifest']);
        expect(stdout).to.match(/rejected-bad-spec: spec: exactly one of "goal" or "statement" is required/);
        expect(Object.keys(rows)).to.not.include('core');
      });
    });

    describe('when the arguments are wrong', () => {
      const cases: [string, string[], RegExp][] = [
        ['no file', ['verify'], /needs at least one FILE/],
        ['a missing file', ['verify', 'nope.yaml'], /nope\.yaml: ENOENT/],
        ['an unknown flag', ['verify', '--fast', 'x.yaml'], /Unknown option '--fast'/],
        ['an unknown command', ['prove'], /unknown command "prove"/],
      ];
      for (const [name, args, message] of cases) {
        it(`prints one line and exits 2 for ${name}`, () => {
          const { code, stderr } = runPxl(args);
          expect(code).to.equal(2);
          expect(stderr.trim().split('\n')).to.have.length(1);
          expect(stderr).to.match(message);
        });
      }
    });
  });

  describe('kernel-hash', () => {
    it('prints the sha256 kernel hash of the built-in kernel', () => {
      const { code, stdout } = runPxl(['kernel-hash', 'prover/kernel']);
      expect(code).to.equal(0);
      expect(stdout).to.match(/^sha256:[0-9a-f]{64}\n$/);
    });
  });
});
