import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { repositoryRoot } from '../../../scripts/sync-packaging.js';

const run = promisify(execFile);

interface SpdxDocument {
  readonly spdxVersion: string;
  readonly name: string;
  readonly documentNamespace: string;
  readonly packages: readonly { readonly name: string; readonly versionInfo: string }[];
}

interface PackageLock {
  readonly packages: Readonly<Record<string, { readonly version?: string; readonly dev?: boolean; readonly name?: string }>>;
}

describe('npm run sbom', function () {
  this.timeout(60_000);
  let dir = '';
  let lock: PackageLock = { packages: {} };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pxl-sbom-'));
    await run('bash', [join(repositoryRoot, 'scripts/sbom.sh'), dir], { cwd: repositoryRoot });
    lock = JSON.parse(await readFile(join(repositoryRoot, 'package-lock.json'), 'utf8')) as PackageLock;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const image of ['operator', 'prover'] as const) {
    describe(`when describing the ${image} image`, () => {
      let doc: SpdxDocument | undefined;
      before(async () => {
        doc = JSON.parse(await readFile(join(dir, `pxl-${image}.spdx.json`), 'utf8')) as SpdxDocument;
      });

      it('is an SPDX 2.3 document named after the image', () => {
        expect(doc?.spdxVersion).to.equal('SPDX-2.3');
        expect(doc?.name).to.match(new RegExp(`^ghcr\\.io/logos-dev/pxl-${image}:\\d+\\.\\d+\\.\\d+`));
        expect(doc?.documentNamespace).to.include(`pxl-${image}`);
      });

      it('lists exactly the production packages of the lockfile, at their locked versions', () => {
        const production = Object.entries(lock.packages)
          .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev !== true)
          .map(([path, entry]) => `${entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version ?? ''}`);
        const listed = (doc?.packages ?? []).slice(1).map((item) => `${item.name}@${item.versionInfo}`);
        expect(new Set(listed)).to.deep.equal(new Set(production));
        expect(listed.some((item) => item.startsWith('mocha@') || item.startsWith('typescript@'))).to.equal(false);
      });
    });
  }
});
