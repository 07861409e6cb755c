import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { argocdConfigMapPath, readHealthScripts, renderGeneratedFiles, repositoryRoot } from '../../../scripts/sync-packaging.js';
import { toLuaLiteral } from './lua-literal.js';

describe('generated packaging files', () => {
  describe('when compared with their sources', () => {
    it('are up to date (run `npm run sync:packaging` after editing crds/ or a health.lua)', async () => {
      const files = await renderGeneratedFiles();
      expect(files.map((file) => file.path)).to.include.members([
        'charts/pxl-core/files/crds/pxl.logos.dev_pxlcores.yaml',
        'config/crd/bases/pxl.logos.dev_proofrequests.yaml',
        argocdConfigMapPath,
      ]);
      for (const file of files) {
        const onDisk = await readFile(join(repositoryRoot, file.path), 'utf8').catch(() => '(missing)');
        expect(onDisk, `${file.path} drifted from its source`).to.equal(file.content);
      }
    });
  });

  describe('the argocd-cm snippet', () => {
    it('carries each health.lua verbatim under resource.customizations.health.<group>_<Kind>', async () => {
      const configMap = parse(await readFile(join(repositoryRoot, argocdConfigMapPath), 'utf8')) as { data: Record<string, string> };
      const scripts = await readHealthScripts();
      expect([...scripts.keys()]).to.deep.equal(['pxl.logos.dev_ProofRequest', 'pxl.logos.dev_PxlCore']);
      for (const [key, script] of scripts) expect(configMap.data[`resource.customizations.health.${key}`]).to.equal(script);
    });
  });
});

describe('toLuaLiteral', () => {
  const cases = [
    { name: 'an object', value: { a: 1, b: 'x' }, expected: '{["a"] = 1, ["b"] = "x"}' },
    { name: 'an array with a nested object', value: [true, { k: false }], expected: '{true, {["k"] = false}}' },
    { name: 'null fields, which Argo CD drops', value: { a: null }, expected: '{}' },
    { name: 'quotes, backslashes and newlines', value: 'a"b\\c\n', expected: '"a\\"b\\\\c\\010"' },
    { name: 'a non-ASCII character followed by a digit', value: '□1', expected: '"\\226\\150\\1611"' },
  ];
  for (const { name, value, expected } of cases) {
    describe(`when given ${name}`, () => {
      it('renders the Lua constructor', () => {
        expect(toLuaLiteral(value)).to.equal(expected);
      });
    });
  }
});
