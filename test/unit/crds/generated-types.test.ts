import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parse } from 'yaml';
import { formatReady, shortenKernelHash } from '../../../crds/index.js';
import { generatedTypesPath, readCrdSources, renderCrdTypes } from '../../../scripts/gen-crd-types.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

interface Node {
  description?: string;
  properties?: Record<string, Node>;
  items?: Node;
  additionalProperties?: Node | boolean;
}

function findUndescribed(node: Node, path: string, out: string[]): string[] {
  // metadata is described by the API server itself; every other field needs its own text.
  if (node.description === undefined && !path.endsWith('.metadata')) out.push(path);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    if (name !== 'metadata') findUndescribed(child, `${path}.${name}`, out);
  }
  if (node.items !== undefined) findUndescribed(node.items, `${path}[]`, out);
  if (typeof node.additionalProperties === 'object') findUndescribed(node.additionalProperties, `${path}{}`, out);
  return out;
}

describe('crds/generated/types.ts', () => {
  it('matches what the generator renders from the CRD YAML (run npm run gen:crd-types when it drifts)', () => {
    const rendered = renderCrdTypes(readCrdSources(join(repoRoot, 'crds')));
    const committed = readFileSync(join(repoRoot, generatedTypesPath), 'utf8');
    expect(committed).to.equal(rendered);
  });

  it('declares both kinds and the ProofRequest phase union', () => {
    const rendered = renderCrdTypes(readCrdSources(join(repoRoot, 'crds')));
    expect(rendered).to.include('export interface PxlCore {');
    expect(rendered).to.include('export interface ProofRequest {');
    expect(rendered).to.include("phase?: 'Pending' | 'Running' | 'Proved' | 'Refuted' | 'Failed' | 'Rejected' | 'Error';");
  });

  describe('when a field of the CRD changes', () => {
    it('renders different types, so the drift test fails', () => {
      const sources = readCrdSources(join(repoRoot, 'crds'));
      const edited = sources.map((s) => ({ ...s, text: s.text.replace('maxItems: 32', 'maxItems: 33') }));
      expect(renderCrdTypes(edited)).to.not.equal(renderCrdTypes(sources));
    });
  });
});

describe('CRD schemas', () => {
  for (const { file, text } of readCrdSources(join(repoRoot, 'crds'))) {
    it(`${file} describes every field, so kubectl explain is useful`, () => {
      const crd = parse(text) as { spec: { versions: { schema: { openAPIV3Schema: Node } }[] } };
      for (const version of crd.spec.versions) {
        expect(findUndescribed(version.schema.openAPIV3Schema, '', [])).to.deep.equal([]);
      }
    });
  }
});

describe('printer column helpers', () => {
  const cases = [
    { name: 'ready of desired', got: formatReady(2, 3), want: '2/3' },
    { name: 'none ready', got: formatReady(0, 0), want: '0/0' },
    { name: 'hash with prefix', got: shortenKernelHash('sha256:0123456789abcdef0123'), want: '0123456789ab' },
    { name: 'hash without prefix', got: shortenKernelHash('abcdef'), want: 'abcdef' },
  ] as const;
  for (const c of cases) {
    it(`formats ${c.name}`, () => {
      expect(c.got).to.equal(c.want);
    });
  }
});
