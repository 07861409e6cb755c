import { expect } from 'chai';
import { runHealthScript } from '../../unit/packaging/argocd-health-runner.js';
import { createRestrictedNamespace, deleteNamespaces, expectSuccess, prepareTools, type Tools } from './tools.js';

const release = 'pkg-install';
const releaseNamespace = 'pkg-install-system';
const watchNamespace = 'pkg-install-proofs';
const crds = ['pxlcores.pxl.logos.dev', 'proofrequests.pxl.logos.dev'];

/** The first ProofRequest exactly as NOTES.txt tells a user to submit it, so the notes are tested too. */
function extractNotesManifest(notes: string): string {
  const match = /<<'YAML'\n([\s\S]*?)\n\s*YAML\n/.exec(notes);
  if (!match?.[1]) throw new Error(`NOTES.txt has no <<'YAML' block:\n${notes}`);
  return match[1].replace(/^ {3}/gm, '');
}

// CRDs that an earlier suite created with kubectl are adopted the way Helm documents it, by release metadata.
async function adoptCrds(tools: Tools): Promise<void> {
  for (const name of crds) {
    const owner = await tools.kubectl(['get', 'crd', name, '-o', 'jsonpath={.metadata.annotations.meta\\.helm\\.sh/release-name}']);
    if (owner.exitCode !== 0) continue;
    if (owner.stdout !== '' && owner.stdout !== release) throw new Error(`CRD ${name} belongs to Helm release ${owner.stdout}; uninstall it first`);
    expectSuccess(await tools.kubectl(['label', '--overwrite', 'crd', name, 'app.kubernetes.io/managed-by=Helm']), `labelling ${name}`);
    expectSuccess(await tools.kubectl(['annotate', '--overwrite', 'crd', name, `meta.helm.sh/release-name=${release}`, `meta.helm.sh/release-namespace=${releaseNamespace}`]), `annotating ${name}`);
  }
}

describe('chart pxl-core installed on the local control plane', function () {
  this.timeout(900_000);
  let tools: Tools;
  let notes = '';

  before(async () => {
    tools = await prepareTools();
    await tools.helm(['uninstall', release, '-n', releaseNamespace, '--wait']);
    await createRestrictedNamespace(tools, releaseNamespace);
    await createRestrictedNamespace(tools, watchNamespace);
    await adoptCrds(tools);
  });

  after(async () => {
    await tools.kubectl(['delete', 'proofrequests,pxlcores', '--all', '-n', watchNamespace, '--ignore-not-found', '--timeout=60s']);
    await tools.helm(['uninstall', release, '-n', releaseNamespace, '--wait']);
    await deleteNamespaces(tools, [releaseNamespace, watchNamespace]);
    // The kept CRDs go back to belonging to nobody, so another suite or a user can install them their way.
    for (const name of crds) {
      await tools.kubectl(['annotate', 'crd', name, 'meta.helm.sh/release-name-', 'meta.helm.sh/release-namespace-', 'helm.sh/resource-policy-']);
      await tools.kubectl(['label', 'crd', name, 'app.kubernetes.io/managed-by-']);
    }
  });

  describe('when installed with the operator image', () => {
    it('becomes ready with its operator Pods running under the restricted standard', async () => {
      const installed = expectSuccess(
        await tools.helm(['install', release, 'charts/pxl-core', '-n', releaseNamespace, '--set', `watchNamespace=${watchNamespace}`, '--wait', '--timeout', '5m']),
        'helm install',
      );
      notes = installed;
      const ready = expectSuccess(await tools.kubectl(['get', 'deployment', `${release}-pxl-core-operator`, '-n', releaseNamespace, '-o', 'jsonpath={.status.readyReplicas}']), 'reading the Deployment');
      expect(ready).to.equal('2');
    });

    it('proves the first ProofRequest that NOTES.txt shows', async () => {
      expect(notes, 'the install step must have passed').to.not.equal('');
      expectSuccess(await tools.kubectl(['apply', '-n', watchNamespace, '-f', '-'], extractNotesManifest(notes)), 'applying the NOTES sample');
      const waited = await tools.kubectl(['wait', '-n', watchNamespace, '--for=condition=Succeeded', 'proofrequest/box-k', '--timeout=420s']);
      const status = await tools.kubectl(['get', 'proofrequest/box-k', '-n', watchNamespace, '-o', 'jsonpath={.status}']);
      expect(waited.exitCode, `ProofRequest status: ${status.stdout}\n${waited.stderr}`).to.equal(0);
      const phase = expectSuccess(await tools.kubectl(['get', 'proofrequest/box-k', '-n', watchNamespace, '-o', 'jsonpath={.status.phase}']), 'reading the phase');
      expect(phase).to.equal('Proved');
    });

    it('reports Healthy through the Argo CD health checks on the real core and request', async () => {
      const read = async (ref: string): Promise<unknown> => JSON.parse(expectSuccess(await tools.kubectl(['get', ref, '-n', watchNamespace, '-o', 'json']), `reading ${ref}`));
      expect(await runHealthScript('ProofRequest', await read('proofrequest/box-k'))).to.deep.include({ status: 'Healthy' });
      expect(await runHealthScript('PxlCore', await read('pxlcore/core'))).to.deep.include({ status: 'Healthy' });
    });

    it('wires the NetworkPolicies so the operator and the provers admit each other', async () => {
      const read = async (args: string[]): Promise<unknown> => JSON.parse(expectSuccess(await tools.kubectl([...args, '-o', 'json']), args.join(' ')));
      const operatorPods = (await read(['get', 'pods', '-n', releaseNamespace, '-l', `app.kubernetes.io/instance=${release}`])) as { items: { metadata: { labels: Record<string, string> } }[] };
      const proverPods = (await read(['get', 'pods', '-n', watchNamespace, '-l', 'app.kubernetes.io/instance=core'])) as { items: { metadata: { labels: Record<string, string> } }[] };
      const proverPolicy = (await read(['get', 'networkpolicy', 'core', '-n', watchNamespace])) as { spec: { ingress: { from: { namespaceSelector?: { matchLabels: Record<string, string> }; podSelector?: { matchLabels: Record<string, string> } }[] }[] } };
      const operatorPolicy = (await read(['get', 'networkpolicy', `${release}-pxl-core-operator`, '-n', releaseNamespace])) as { spec: { egress: { to?: { namespaceSelector?: { matchLabels: Record<string, string> }; podSelector?: { matchLabels: Record<string, string> } }[] }[] } };
      expect(operatorPods.items).to.have.length(2);
      expect(proverPods.items).to.not.be.empty;
      // The prover side: some ingress peer selects the operator's namespace and every operator Pod.
      const admitsOperator = proverPolicy.spec.ingress.some((rule) => rule.from.some((peer) =>
        peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === releaseNamespace
        && operatorPods.items.every((pod) => Object.entries(peer.podSelector?.matchLabels ?? {}).every(([key, value]) => pod.metadata.labels[key] === value))));
      expect(admitsOperator, JSON.stringify(proverPolicy.spec.ingress)).to.equal(true);
      // The operator side: some egress peer selects the watched namespace and every prover Pod.
      const reachesProvers = operatorPolicy.spec.egress.some((rule) => (rule.to ?? []).some((peer) =>
        peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === watchNamespace
        && proverPods.items.every((pod) => Object.entries(peer.podSelector?.matchLabels ?? {}).every(([key, value]) => pod.metadata.labels[key] === value))));
      expect(reachesProvers, JSON.stringify(operatorPolicy.spec.egress)).to.equal(true);
    });

    it('serves on /metrics every metric the PrometheusRule alerts on', async () => {
      const rules = expectSuccess(await tools.helm(['template', release, 'charts/pxl-core', '-n', releaseNamespace, '--set', 'prometheusRule.enabled=true', '--show-only', 'templates/prometheusrule.yaml']), 'rendering the rules');
      const alerted = new Set([...rules.matchAll(/\b(pxl_[a-z_]+)\b/g)].map((match) => match[1] ?? ''));
      expect([...alerted].sort()).to.deep.equal(['pxl_proofrequests_total', 'pxl_queue_depth']);
      const ips = expectSuccess(await tools.kubectl(['get', 'pods', '-n', releaseNamespace, '-l', `app.kubernetes.io/instance=${release}`, '-o', 'jsonpath={.items[*].status.podIP}']), 'reading Pod IPs').split(' ');
      // Pods of the local node agent listen on loopback addresses (127.42.0.0/16), so the test reaches them directly.
      let exposition = '';
      for (const ip of ips.filter((item) => /^127\./.test(item))) exposition += await (await fetch(`http://${ip}:8080/metrics`)).text();
      for (const name of alerted) expect(exposition, `${name} is not exposed`).to.match(new RegExp(`^# TYPE ${name} `, 'm'));
    });

    const serviceAccount = `system:serviceaccount:${releaseNamespace}:${release}-pxl-core-operator`;
    const rights = [
      { verb: 'get', resource: 'secrets', namespace: watchNamespace, allowed: true },
      { verb: 'patch', resource: 'deployments.apps', namespace: watchNamespace, allowed: true },
      { verb: 'patch', resource: 'proofrequests.pxl.logos.dev/status', namespace: watchNamespace, allowed: true },
      { verb: 'update', resource: 'leases.coordination.k8s.io', namespace: releaseNamespace, allowed: true },
      { verb: 'get', resource: 'secrets', namespace: 'default', allowed: false },
      { verb: 'list', resource: 'secrets', namespace: 'kube-system', allowed: false },
      { verb: 'list', resource: 'secrets', namespace: '', allowed: false },
      { verb: 'get', resource: 'secrets', namespace: releaseNamespace, allowed: false },
      { verb: 'update', resource: 'leases.coordination.k8s.io', namespace: 'kube-system', allowed: false },
      { verb: 'create', resource: 'pods/exec', namespace: watchNamespace, allowed: false },
      { verb: 'update', resource: 'pxlcores.pxl.logos.dev/scale', namespace: watchNamespace, allowed: false },
      { verb: 'create', resource: 'pods', namespace: watchNamespace, allowed: false },
      { verb: 'create', resource: 'rolebindings.rbac.authorization.k8s.io', namespace: watchNamespace, allowed: false },
      { verb: 'list', resource: 'pxlcores.pxl.logos.dev', namespace: '', allowed: false },
      { verb: 'patch', resource: 'pxlcores.pxl.logos.dev', namespace: watchNamespace, allowed: false },
      { verb: 'delete', resource: 'secrets', namespace: watchNamespace, allowed: false },
      { verb: 'list', resource: 'configmaps', namespace: watchNamespace, allowed: false },
    ];
    for (const { verb, resource, namespace, allowed } of rights) {
      const where = namespace === '' ? 'cluster-wide' : `in ${namespace}`;
      it(`${allowed ? 'may' : 'may not'} ${verb} ${resource} ${where}`, async () => {
        // kubectl reads `resource/sub` as a resource name, so subresources go through --subresource.
        const [plain = resource, subresource] = resource.split('/');
        const result = await tools.kubectl(['auth', 'can-i', verb, plain, ...(subresource === undefined ? [] : [`--subresource=${subresource}`]), '--as', serviceAccount, ...(namespace === '' ? ['--all-namespaces'] : ['-n', namespace])]);
        expect(result.stdout.trim(), result.stderr).to.equal(allowed ? 'yes' : 'no');
      });
    }
  });

  describe('when upgraded with a changed value', () => {
    it('rolls the operator and stays ready', async () => {
      expectSuccess(await tools.helm(['upgrade', release, 'charts/pxl-core', '-n', releaseNamespace, '--reuse-values', '--set', 'logLevel=debug', '--wait', '--timeout', '5m']), 'helm upgrade');
      const args = expectSuccess(await tools.kubectl(['get', 'deployment', `${release}-pxl-core-operator`, '-n', releaseNamespace, '-o', 'jsonpath={.spec.template.spec.containers[0].args}']), 'reading the args');
      expect(args).to.include('--log-level=debug');
      const ready = expectSuccess(await tools.kubectl(['get', 'deployment', `${release}-pxl-core-operator`, '-n', releaseNamespace, '-o', 'jsonpath={.status.readyReplicas}/{.status.updatedReplicas}']), 'reading readiness');
      expect(ready).to.equal('2/2');
    });
  });

  describe('when uninstalled', () => {
    it('keeps the CRDs', async () => {
      await tools.kubectl(['delete', 'proofrequests,pxlcores', '--all', '-n', watchNamespace, '--ignore-not-found', '--timeout=60s']);
      const uninstalled = expectSuccess(await tools.helm(['uninstall', release, '-n', releaseNamespace, '--wait']), 'helm uninstall');
      expect(uninstalled).to.match(/kept due to the resource policy/);
      expectSuccess(await tools.kubectl(['get', 'crd', ...crds]), 'the CRDs after uninstall');
      const deployment = await tools.kubectl(['get', 'deployment', `${release}-pxl-core-operator`, '-n', releaseNamespace]);
      expect(deployment.exitCode).to.not.equal(0);
    });
  });
});
