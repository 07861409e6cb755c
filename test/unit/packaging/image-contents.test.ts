import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { expect } from 'chai';
import { repositoryRoot } from '../../../scripts/sync-packaging.js';
import { parseDockerfile } from './dockerfile.js';
import { findFinalStage, findInstructions } from './dockerfile-policy.js';

const importPattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Follows the static imports of compiled JavaScript from an entry point: the files it loads and the packages it needs. */
async function collectImports(entry: string): Promise<{ files: Set<string>; packages: Set<string> }> {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? '';
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
      }
    }
  }
  return { files, packages };
}

for (const image of ['operator', 'prover'] as const) {
  describe(`the ${image} image contents`, () => {
    it('hold every file the entry point imports, and only production dependencies', async () => {
      const final = findFinalStage(parseDockerfile(await readFile(join(repositoryRoot, `Dockerfile.${image}`), 'utf8')));
      const shipped = findInstructions(final, 'COPY')
        .filter((copy) => copy.flags.from === 'build')
        .map((copy) => (copy.args.split(/\s+/)[0] ?? '').replace(/^\/src\//, ''));
      const entry = join(repositoryRoot, 'dist', image, 'src', 'main.js');
      const imports = await collectImports(entry).catch((error: unknown) => {
        throw new Error(`cannot follow the imports of ${relative(repositoryRoot, entry)}; run npm run build first`, { cause: error });
      });
      for (const file of imports.files) {
        const path = relative(repositoryRoot, file);
        expect(shipped.some((dir) => path.startsWith(`${dir}/`)), `${path} is imported but not copied into the image`).to.equal(true);
      }
      const manifest = JSON.parse(await readFile(join(repositoryRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      for (const name of imports.packages) {
        expect(Object.keys(manifest.dependencies), `${name} is imported at run time but is not a production dependency`).to.include(name);
      }
    });
  });
}
