import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { repositoryRoot } from '../../../scripts/sync-packaging.js';
import { createRestrictedNamespace, deleteNamespaces, expectSuccess, extractPods, parseManifests, prepareTools, type Tools } from './tools.js';

// The bases name pxl-system and proofs; the test renames them so it never touches namespaces a user or the demo owns.
const renames = { 'pxl-system': 'pkg-kz-system', proofs: 'pkg-kz-proofs' } as const;

function renameNamespaces(yaml: string): string {
  return yaml
    .replace(/(namespace|name|kubernetes\.io\/metadata\.name): pxl-system$/gm, `$1: ${renames['pxl-system']}`)
    .replace(/(namespace|name|kubernetes\.io\/metadata\.name): proofs$/gm, `$1: ${renames.proofs}`)
    .replace(/--(namespace|lease-namespace|operator-namespace)=(pxl-system|proofs)$/gm, (_whole, flag: string, ns: 'pxl-system' | 'proofs') => `--${flag}=${renames[ns]}`);
}

describe('kustomize config/', function () {
  this.timeout(600_000);
  let tools: Tools;
  before(async () => {
    tools = await prepareTools();
    await createRestrictedNamespace(tools, renames['pxl-system']);
    await createRestrictedNamespace(tools, renames.proofs);
  });
  after(async () => {
    await deleteNamespaces(tools, Object.values(renames));
  });

  describe('when every base is built', () => {
    it('builds with kubectl kustomize', async () => {
      const bases = (await readdir(join(repositoryRoot, 'config'), { withFileTypes: true })).filter((entry) => entry.isDirectory() && !['argocd', 'prover'].includes(entry.name));
      expect(bases.map((entry) => entry.name)).to.include.members(['crd', 'rbac', 'manager', 'network-policy', 'default']);
      for (const base of bases) expectSuccess(await tools.kubectl(['kustomize', `config/${base.name}`]), `kubectl kustomize config/${base.name}`);
    });
  });

  describe('when config/default is applied', () => {
    let rendered = '';
    before(async () => {
      rendered = renameNamespaces(expectSuccess(await tools.kubectl(['kustomize', 'config/default']), 'kubectl kustomize config/default'));
    });

    it('holds what the chart installs with its defaults, with the prover image from the prover component', () => {
      const manifests = parseManifests(rendered);
      expect([...new Set(manifests.map((item) => item.kind))].sort()).to.deep.equal(['ClusterRole', 'CustomResourceDefinition', 'Deployment', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
      expect(rendered).to.include('name: PXL_PROVER_IMAGE');
      expect(manifests.filter((item) => item.kind === 'RoleBinding').map((item) => item.metadata.namespace).sort()).to.deep.equal([renames.proofs, renames['pxl-system']].sort());
    });

    it('passes a server-side dry run without Pod Security warnings', async () => {
      const withoutNamespaces = parseManifests(rendered).filter((item) => item.kind !== 'Namespace');
      const result = await tools.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=pxl-packaging-test', '--dry-run=server', '-f', '-'], withoutNamespaces.map((item) => JSON.stringify(item)).join('\n'));
      expectSuccess(result, 'kubectl apply --dry-run=server');
      expect(result.stderr).to.not.match(/PodSecurity|would violate/);
      const pods = extractPods(withoutNamespaces, renames['pxl-system']);
      expectSuccess(await tools.kubectl(['create', '--dry-run=server', '-f', '-'], pods.map((pod) => JSON.stringify(pod)).join('\n')), 'dry-run of the operator Pod');
    });
  });

  describe('when compared with the chart', () => {
    it('grants exactly the chart\'s rights, since both mirror one list of what the operator does', async () => {
      const rulesOf = (yaml: string, kind: string): unknown => (parseManifests(yaml).find((item) => item.kind === kind) as { rules?: unknown } | undefined)?.rules;
      const chart = expectSuccess(await tools.helm(['template', 'pxl', 'charts/pxl-core', '--show-only', 'templates/rbac.yaml']), 'helm template');
      const base = expectSuccess(await tools.kubectl(['kustomize', 'config/rbac']), 'kubectl kustomize config/rbac');
      expect(rulesOf(base, 'ClusterRole')).to.deep.equal(rulesOf(chart, 'ClusterRole'));
      expect(rulesOf(base, 'Role')).to.deep.equal(rulesOf(chart, 'Role'));
    });
  });

  describe('when the samples are applied through config/argocd/samples', () => {
    it('passes a server-side dry run, with PxlCores before ProofRequests in Argo CD sync waves', async () => {
      // A dry run of custom resources needs their CRDs for real; install them only where nobody has.
      if ((await tools.kubectl(['get', 'crd', 'pxlcores.pxl.logos.dev', 'proofrequests.pxl.logos.dev'])).exitCode !== 0) {
        expectSuccess(await tools.kubectl(['apply', '--server-side', '--field-manager=pxl-packaging-test', '-k', 'config/crd']), 'installing the CRDs');
        expectSuccess(await tools.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/pxlcores.pxl.logos.dev', 'crd/proofrequests.pxl.logos.dev']), 'waiting for the CRDs');
      }
      const rendered = expectSuccess(await tools.kubectl(['kustomize', 'config/argocd/samples']), 'kubectl kustomize config/argocd/samples');
      const manifests = parseManifests(rendered);
      const waves = new Map<string, Set<string | undefined>>();
      for (const item of manifests) waves.set(item.kind, (waves.get(item.kind) ?? new Set()).add(item.metadata.annotations?.['argocd.argoproj.io/sync-wave']));
      expect(waves).to.deep.equal(new Map([['PxlCore', new Set(['1'])], ['ProofRequest', new Set(['2'])]]));
      const relocated = manifests.map((item) => ({ ...item, metadata: { ...item.metadata, namespace: renames.proofs } }));
      expectSuccess(await tools.kubectl(['apply', '--server-side', '--field-manager=pxl-packaging-test', '--dry-run=server', '-f', '-'], relocated.map((item) => JSON.stringify(item)).join('\n')), 'dry run of the samples');
    });
  });
});
