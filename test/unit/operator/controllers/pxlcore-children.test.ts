import { expect } from 'chai';
import { buildDeployment, buildProverArgs, defaultResources, type ProverPodSettings } from '../../../../operator/src/controllers/pxlcore/deployment.js';
import { buildNetworkPolicy } from '../../../../operator/src/controllers/pxlcore/network-policy.js';
import { buildServiceAccount } from '../../../../operator/src/controllers/pxlcore/service-account.js';
import { buildTokenSecret, generateToken } from '../../../../operator/src/controllers/pxlcore/token-secret.js';
import { buildPodDisruptionBudget } from '../../../../operator/src/controllers/pxlcore/pod-disruption-budget.js';
import { buildService } from '../../../../operator/src/controllers/pxlcore/service.js';
import { formatSelector } from '../../../../operator/src/controllers/pxlcore/names.js';

const core = { name: 'core', namespace: 'proofs', uid: 'uid-1' };
const settings: ProverPodSettings = { image: 'img:1', replicas: 2, backend: 'auto', sessions: 2, tokenSecretName: 'core-token' };

describe('PxlCore desired children', () => {
  describe('buildDeployment', () => {
    const deployment = buildDeployment(core, settings);
    const pod = deployment.spec?.template.spec;
    const container = pod?.containers[0];

    it('passes the restricted Pod Security Standard fields', () => {
      expect(pod?.securityContext).to.include({ runAsNonRoot: true, runAsUser: 1000 });
      expect(pod?.securityContext?.seccompProfile).to.deep.equal({ type: 'RuntimeDefault' });
      expect(pod?.securityContext?.appArmorProfile).to.deep.equal({ type: 'RuntimeDefault' });
      expect(container?.securityContext).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    });

    it('mounts writable emptyDirs only at /tmp and /var/log with a 1Gi log limit', () => {
      const writable = container?.volumeMounts?.filter((m) => m.readOnly !== true).map((m) => m.mountPath);
      expect(writable).to.deep.equal(['/tmp', '/var/log']);
      expect(pod?.volumes?.find((v) => v.name === 'log')?.emptyDir?.sizeLimit).to.equal('1Gi');
    });

    it('probes /health every 30 s and /ready every 10 s', () => {
      expect(container?.livenessProbe?.httpGet?.path).to.equal('/health');
      expect(container?.livenessProbe?.periodSeconds).to.equal(30);
      expect(container?.readinessProbe?.httpGet?.path).to.equal('/ready');
      expect(container?.readinessProbe?.periodSeconds).to.equal(10);
    });

    it('defaults resources and never mounts a service account token', () => {
      expect(container?.resources).to.deep.equal(defaultResources);
      expect(pod?.automountServiceAccountToken).to.equal(false);
    });

    it('is owned by the core as its controller', () => {
      expect(deployment.metadata?.ownerReferences?.[0]).to.include({ kind: 'PxlCore', uid: 'uid-1', controller: true });
      expect(deployment.spec?.replicas).to.equal(2);
    });
  });

  describe('buildProverArgs', () => {
    const cases = [
      { name: 'built-in kernel', extra: {}, expected: ['--listen', '$(POD_IP):8088', '--sessions', '2', '--backend', 'auto', '--token-file', '/var/run/pxl/auth/token', '--audit-log', '/var/log/pxl/audit.jsonl'] },
      { name: 'pinned hash', extra: { expectedHash: 'sha256:ab' }, expected: ['--expected-hash', 'sha256:ab'] },
      { name: 'ConfigMap kernel', extra: { kernelConfigMap: 'k' }, expected: ['--kernel-dir', '/etc/pxl/kernel'] },
    ];
    for (const c of cases) {
      it(`when ${c.name}, has the expected arguments`, () => {
        const args = buildProverArgs({ ...settings, ...c.extra });
        expect(args.join(' ')).to.contain(c.expected.join(' '));
      });
    }
  });

  describe('buildNetworkPolicy', () => {
    it('admits one peer combining the operator namespace and pod labels, plus metrics peers, on 8088', () => {
      const metrics = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
      const policy = buildNetworkPolicy(core, { namespace: 'pxl-system', labels: { 'app.kubernetes.io/name': 'pxl-operator' } }, [metrics]);
      const ingress = (policy.spec.ingress as { from: unknown[]; ports: unknown[] }[])[0];
      expect(ingress?.from[0]).to.deep.equal({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'pxl-system' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'pxl-operator' } },
      });
      expect(ingress?.from[1]).to.deep.equal(metrics);
      expect(ingress?.ports).to.deep.equal([{ protocol: 'TCP', port: 8088 }]);
      expect(policy.spec.policyTypes).to.deep.equal(['Ingress', 'Egress']);
    });

    it('allows egress only to DNS', () => {
      const policy = buildNetworkPolicy(core, { namespace: 'x', labels: { a: 'b' } }, []);
      expect(policy.spec.egress).to.deep.equal([{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }]);
    });
  });

  describe('small children', () => {
    it('gives the ServiceAccount no token automount', () => {
      expect(buildServiceAccount(core).automountServiceAccountToken).to.equal(false);
    });
    it('keeps the given token in the Secret', () => {
      expect(buildTokenSecret(core, 'abc').data).to.deep.equal({ token: Buffer.from('abc').toString('base64') });
    });
    it('generates distinct long tokens', () => {
      expect(generateToken()).to.have.length.above(40).and.not.equal(generateToken());
    });
    it('serves the Service on 8088 and budgets one unavailable Pod', () => {
      expect(buildService(core).spec?.ports?.[0]?.port).to.equal(8088);
      expect(buildPodDisruptionBudget(core).spec?.maxUnavailable).to.equal(1);
    });
    it('formats the selector sorted', () => {
      expect(formatSelector('core')).to.equal('app.kubernetes.io/instance=core,app.kubernetes.io/name=pxl-prover');
    });
  });
});
