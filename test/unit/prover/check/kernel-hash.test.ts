// The kernel hash of API §4, computed independently here from its definition.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { screenKernelSource } from '../../../../prover/src/kernel/compile.js';
import { hashKernelDir, listKernelSources } from '../../../../prover/src/kernel/hash.js';

describe('hashKernelDir', function () {
  let dir: string;

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), 'pxl-hash-'));
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'b.v'), 'B');
    await writeFile(path.join(dir, 'a.v'), 'A');
    await writeFile(path.join(dir, 'sub', 'c.v'), 'C');
    await writeFile(path.join(dir, 'notes.txt'), 'ignored');
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists .v files by relative path in byte order', async function () {
    expect(await listKernelSources(dir)).to.deep.equal(['a.v', 'b.v', 'sub/c.v']);
  });

  it('hashes path, NUL, bytes, NUL per file', async function () {
    const expected = createHash('sha256').update('a.v\0A\0b.v\0B\0sub/c.v\0C\0').digest('hex');
    expect(await hashKernelDir(dir)).to.equal(`sha256:${expected}`);
  });

  describe('when a file changes', function () {
    it('changes the hash', async function () {
      const before = await hashKernelDir(dir);
      await writeFile(path.join(dir, 'b.v'), 'B2');
      expect(await hashKernelDir(dir)).to.not.equal(before);
      await writeFile(path.join(dir, 'b.v'), 'B');
    });
  });
});

describe('screenKernelSource', function () {
  const cases: readonly [string, string, boolean][] = [
    ['an inductive definition', 'Inductive form := Bot.', true],
    ['an Axiom', 'Axiom x : False.', false],
    ['a Parameter', 'Parameter x : nat.', false],
    ['Admitted', 'Lemma x : False. Admitted.', false],
    ['a forbidden command', 'Unset Guard Checking.', false],
    ['Axiom in a comment', '(* Axiom x : False. *) Inductive form := Bot.', true],
  ];
  for (const [name, text, ok] of cases) {
    it(`${name} → ${ok ? 'accepted' : 'refused'}`, function () {
      if (ok) expect(() => { screenKernelSource('k.v', text); }).to.not.throw();
      else expect(() => { screenKernelSource('k.v', text); }).to.throw();
    });
  }
});
