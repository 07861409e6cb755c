// Finding Coq programs on PATH.
import { expect } from 'chai';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findProgram } from '../../../../prover/src/coq/discover.js';

describe('findProgram', function () {
  let dir: string;

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), 'pxl-discover-'));
    await writeFile(path.join(dir, 'coqidetop.opt'), '#!/bin/sh\n');
    await chmod(path.join(dir, 'coqidetop.opt'), 0o755);
    await writeFile(path.join(dir, 'sertop'), 'not executable');
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  describe('when only coqidetop.opt exists', function () {
    it('finds it under its Debian name', async function () {
      expect(await findProgram(['coqidetop', 'coqidetop.opt'], dir)).to.equal(path.join(dir, 'coqidetop.opt'));
    });
  });

  describe('when a file is not executable', function () {
    it('is not found', async function () {
      expect(await findProgram(['sertop'], dir)).to.equal(undefined);
    });
  });
});
