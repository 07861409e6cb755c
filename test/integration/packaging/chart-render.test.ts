import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { repositoryRoot } from '../../../scripts/sync-packaging.js';
import { createRestrictedNamespace, deleteNamespaces, expectSuccess, extractPods, parseManifests, prepareTools, type Tools } from './tools.js';

const chart = 'charts/pxl-core';
const releaseNamespace = 'pkg-render-system';
const watchNamespace = 'pkg-render-proofs';

// The Prometheus Operator is not part of the local control plane; these stand-ins let the API server admit
// ServiceMonitor and PrometheusRule objects, so the dry run checks their rendering and admission, not their schema.
const monitoringCrds = ['servicemonitors', 'prometheusrules'].map((plural) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.monitoring.coreos.com` },
  spec: {
    group: 'monitoring.coreos.com',
    scope: 'Namespaced',
    names: { plural, singular: plural.slice(0, -1), kind: plural === 'servicemonitors' ? 'ServiceMonitor' : 'PrometheusRule' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
}));

const profiles = [
  {
    name: 'every optional feature on',
    values: {
      crds: { install: true, keep: true },
      watchNamespace,
      replicaCount: 3,
      leaderElection: { enabled: true },
      image: { digest: `sha256:${'a'.repeat(64)}` },
      prover: { image: { repository: 'registry.example/pxl-prover', tag: '9.9.9' } },
      podAnnotations: { 'example.com/team': 'proofs' },
      podLabels: { 'example.com/tier': 'control' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'pxl', effect: 'NoSchedule' }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'pxl-operator' } } }],
      podDisruptionBudget: { enabled: true },
      networkPolicy: { enabled: true, metricsFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], apiServer: { cidrs: ['10.0.0.1/32'], ports: [443, 6443] } },
      serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'prometheus' } },
      prometheusRule: { enabled: true, labels: { release: 'prometheus' }, queueDepthThreshold: 50 },
      serviceAccount: { create: true, annotations: { 'example.com/role': 'pxl' } },
    },
    kinds: ['ClusterRole', 'CustomResourceDefinition', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'PrometheusRule', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ServiceMonitor'],
  },
  {
    name: 'every optional feature off',
    values: {
      crds: { install: false, keep: false },
      replicaCount: 1,
      leaderElection: { enabled: false },
      rbac: { create: false },
      serviceAccount: { create: false, name: 'default' },
      podDisruptionBudget: { enabled: false },
      networkPolicy: { enabled: false },
      serviceMonitor: { enabled: false },
      prometheusRule: { enabled: false },
    },
    kinds: ['Deployment', 'Service'],
  },
];

describe('chart pxl-core rendering', function () {
  this.timeout(600_000);
  let tools: Tools;
  const createdCrds: string[] = [];

  before(async () => {
    tools = await prepareTools();
    await createRestrictedNamespace(tools, releaseNamespace);
    await createRestrictedNamespace(tools, watchNamespace);
    for (const crd of monitoringCrds) {
      const exists = await tools.kubectl(['get', 'crd', crd.metadata.name]);
      if (exists.exitCode === 0) continue;
      expectSuccess(await tools.kubectl(['create', '-f', '-'], JSON.stringify(crd)), `creating ${crd.metadata.name}`);
      createdCrds.push(crd.metadata.name);
    }
    if (createdCrds.length > 0) expectSuccess(await tools.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...createdCrds.map((name) => `crd/${name}`)]), 'waiting for the monitoring CRDs');
  });

  after(async () => {
    if (createdCrds.length > 0) await tools.kubectl(['delete', 'crd', '--wait=false', ...createdCrds]);
    await deleteNamespaces(tools, [releaseNamespace, watchNamespace]);
  });

  describe('when linted', () => {
    it('passes helm lint --strict with the defaults and with every feature on', async () => {
      expectSuccess(await tools.helm(['lint', '--strict', chart]), 'helm lint');
      const onProfile = profiles[0]!;
      expectSuccess(await tools.helm(['lint', '--strict', chart, '-f', '-'], stringify(onProfile.values)), 'helm lint (all on)');
    });

    it('packages into an archive that renders the same objects as the folder', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pxl-chart-'));
      try {
        const packaged = expectSuccess(await tools.helm(['package', chart, '-d', dir]), 'helm package');
        const archive = /saved it to: (\S+\.tgz)/.exec(packaged)?.[1] ?? '';
        expect(archive).to.match(/pxl-core-\d+\.\d+\.\d+\.tgz$/);
        const fromArchive = expectSuccess(await tools.helm(['template', 'pxl', archive, '-n', releaseNamespace]), 'helm template of the archive');
        const fromFolder = expectSuccess(await tools.helm(['template', 'pxl', chart, '-n', releaseNamespace]), 'helm template of the folder');
        expect(parseManifests(fromArchive)).to.deep.equal(parseManifests(fromFolder));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  for (const profile of profiles) {
    describe(`when rendered with ${profile.name}`, () => {
      let rendered = '';
      before(async () => {
        rendered = expectSuccess(await tools.helm(['template', 'pxl', chart, '-n', releaseNamespace, '-f', '-'], stringify(profile.values)), 'helm template');
      });

      it('renders exactly the expected kinds', () => {
        const kinds = [...new Set(parseManifests(rendered).map((item) => item.kind))].sort();
        expect(kinds).to.deep.equal(profile.kinds);
      });

      it('passes a server-side dry run without Pod Security warnings', async () => {
        const result = await tools.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=pxl-packaging-test', '--dry-run=server', '-f', '-'], rendered);
        expectSuccess(result, 'kubectl apply --dry-run=server');
        expect(result.stderr).to.not.match(/PodSecurity|would violate/);
      });

      it('has Pods that the restricted standard admits', async () => {
        const pods = extractPods(parseManifests(rendered), releaseNamespace);
        expect(pods).to.have.length(1);
        const result = await tools.kubectl(['create', '--dry-run=server', '-f', '-'], pods.map((pod) => stringify(pod)).join('---\n'));
        expectSuccess(result, 'dry-run of the operator Pod');
      });
    });
  }

  describe('when a Pod breaks the restricted standard', () => {
    it('is refused by the namespace, so the check above can fail', async () => {
      const rendered = expectSuccess(await tools.helm(['template', 'pxl', chart, '-n', releaseNamespace]), 'helm template');
      const [pod] = extractPods(parseManifests(rendered), releaseNamespace);
      const spec = pod!.spec as { containers: { securityContext: Record<string, unknown> }[] };
      spec.containers[0]!.securityContext.allowPrivilegeEscalation = true;
      const result = await tools.kubectl(['create', '--dry-run=server', '-f', '-'], stringify(pod));
      expect(result.exitCode).to.not.equal(0);
      expect(result.stderr).to.match(/violates PodSecurity "restricted:latest": allowPrivilegeEscalation/);
    });
  });

  describe('when the operator keeps its CRDs', () => {
    it('renders them with exactly the spec of crds/, annotated for Helm and Argo CD in the first sync wave', async () => {
      const rendered = expectSuccess(await tools.helm(['template', 'pxl', chart, '-n', releaseNamespace]), 'helm template');
      const crds = parseManifests(rendered).filter((item) => item.kind === 'CustomResourceDefinition');
      expect(crds.map((crd) => crd.metadata.name).sort()).to.deep.equal(['proofrequests.pxl.logos.dev', 'pxlcores.pxl.logos.dev']);
      for (const crd of crds) {
        expect(crd.metadata.annotations).to.include({ 'helm.sh/resource-policy': 'keep', 'argocd.argoproj.io/sync-wave': '-1' });
        expect(crd.metadata.annotations?.['argocd.argoproj.io/sync-options']).to.include('Delete=false');
        // Helm's fromYaml/toYaml round trip must not change a number, a boolean or a description.
        const source = parse(await readFile(join(repositoryRoot, 'crds', `pxl.logos.dev_${crd.metadata.name.split('.')[0] ?? ''}.yaml`), 'utf8')) as { spec: unknown };
        expect(crd.spec).to.deep.equal(source.spec);
      }
    });
  });
});
