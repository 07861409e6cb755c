import { expect } from 'chai';
import type { PxlCore, PxlCoreSpec } from '../../../crds/index.js';
import { Applier, type ObjectRef } from '../../../operator/src/runtime/apply.js';
import { KubeApiError } from '../../../operator/src/runtime/errors.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import {
  createTestClient,
  createTestNamespace,
  deleteTestNamespace,
  installCrds,
  runKubectl,
  waitFor,
} from './runtime-support.js';

const apiVersion = 'pxl.logos.dev/v1alpha1';

/** A test manifest: plain JSON, as it goes over the wire. */
interface Manifest extends ObjectRef {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly uid?: string };
  readonly spec: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
}

describe('CRDs on the real API server', function () {
  this.timeout(120_000);
  let client: KubeClient;
  let applier: Applier;
  let namespace: string;
  let counter = 0;

  before(async () => {
    client = createTestClient();
    applier = new Applier(client, { fieldManager: 'pxl-tests' });
    await installCrds(client);
    namespace = await createTestNamespace('crds');
  });

  after(async () => {
    await deleteTestNamespace(client, namespace);
    client.close();
  });

  function proofRequest(spec: Record<string, unknown>): Manifest {
    counter += 1;
    return { apiVersion, kind: 'ProofRequest', metadata: { name: `pr-${counter}`, namespace }, spec: { coreRef: { name: 'core' }, ...spec } };
  }

  function pxlCore(spec: Record<string, unknown>): Manifest {
    counter += 1;
    return { apiVersion, kind: 'PxlCore', metadata: { name: `core-${counter}`, namespace }, spec };
  }

  async function refusal(object: Manifest): Promise<KubeApiError> {
    try {
      await applier.apply(object);
    } catch (err) {
      if (err instanceof KubeApiError) return err;
      throw err;
    }
    throw new Error(`${object.kind} ${JSON.stringify(object.spec)} was admitted`);
  }

  describe('when valid objects are applied', () => {
    const samples: { name: string; spec: Record<string, unknown> }[] = [
      { name: 'a goal with automation', spec: { goal: 'BOX(p -> q) -> (BOX(p) -> BOX(q))' } },
      { name: 'a statement with tactics', spec: { statement: 'forall p q, Prov (Impl p (Impl q p))', proof: 'intros p q. apply ax_PL_k.' } },
      { name: 'a statement with a source document', spec: { statement: 'Prov (Impl Bot Bot)', source: 'Theorem t : Prov (Impl Bot Bot). Admitted.', theorem: 't' } },
      { name: 'a goal with allowed axioms, timeout and ttl', spec: { goal: 'p -> p', allowedAxioms: ['Coq.Logic.Classical_Prop.classic'], timeoutSeconds: 600, ttlSecondsAfterFinished: 0 } },
      { name: 'a goal of exactly 16 KiB', spec: { goal: 'p'.repeat(16 * 1024) } },
      { name: 'a proof of exactly 256 KiB', spec: { statement: 'Prov Bot', proof: 'x'.repeat(256 * 1024) } },
    ];
    for (const sample of samples) {
      it(`admits a ProofRequest with ${sample.name}`, async () => {
        const applied = await applier.apply(proofRequest(sample.spec));
        expect(applied.metadata.uid).to.be.a('string');
      });
    }

    it('admits a PxlCore with every optional field', async () => {
      const applied = await applier.apply(
        pxlCore({
          replicas: 0,
          image: 'pxl-prover:dev',
          backend: 'coqidetop',
          sessionsPerReplica: 16,
          kernel: { configMapRef: { name: 'my-kernel' }, expectedHash: `sha256:${'a'.repeat(64)}` },
          proofDefaults: { timeoutSeconds: 1 },
          auth: { secretRef: { name: 'token' } },
          autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 2, targetQueuePerReplica: 1 },
          resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 2, memory: '2Gi' } },
          security: {
            seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/pxl.json' },
            appArmorProfile: { type: 'Localhost', localhostProfile: 'pxl' },
            networkPolicy: { enabled: false, metricsFrom: [{ namespaceSelector: { matchLabels: { name: 'monitoring' } } }] },
          },
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'proofs', effect: 'NoSchedule' }],
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }],
          priorityClassName: 'high',
        }),
      );
      const spec = applied.spec as PxlCoreSpec;
      expect(spec.tolerations?.[0]).to.deep.equal({ key: 'dedicated', operator: 'Equal', value: 'proofs', effect: 'NoSchedule' });
      expect(spec.kernel?.builtin).to.equal(undefined);
    });
  });

  describe('when fields are unset', () => {
    it('defaults every documented PxlCore field', async () => {
      const applied = await applier.apply(pxlCore({}));
      expect(applied.spec).to.deep.equal({
        replicas: 3,
        backend: 'auto',
        sessionsPerReplica: 2,
        kernel: { builtin: 'PXLv3' },
        proofDefaults: { timeoutSeconds: 30 },
        security: { seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' }, networkPolicy: { enabled: true } },
      });
    });

    it('defaults inside a partly given object without overriding what is set', async () => {
      const applied = await applier.apply(pxlCore({ autoscaling: { enabled: true, maxReplicas: 4 }, security: { networkPolicy: { enabled: false } } }));
      const spec = applied.spec as PxlCoreSpec;
      expect(spec.autoscaling).to.deep.equal({ enabled: true, minReplicas: 1, maxReplicas: 4, targetQueuePerReplica: 4 });
      expect(spec.security?.networkPolicy).to.deep.equal({ enabled: false });
      expect(spec.security?.seccompProfile).to.deep.equal({ type: 'RuntimeDefault' });
    });
  });

  describe('when a CR breaks the schema', () => {
    const cases: { name: string; object: () => Manifest; field: string; says: string }[] = [
      { name: 'goal and statement together', object: () => proofRequest({ goal: 'p', statement: 'Prov Bot' }), field: 'spec', says: 'exactly one of spec.goal or spec.statement' },
      { name: 'neither goal nor statement', object: () => proofRequest({ proof: 'auto.' }), field: 'spec', says: 'exactly one of spec.goal or spec.statement' },
      { name: 'proof and source together', object: () => proofRequest({ goal: 'p', proof: 'a.', source: 'b', theorem: 't' }), field: 'spec.source', says: 'at most one of spec.proof or spec.source' },
      { name: 'source without theorem', object: () => proofRequest({ statement: 'Prov Bot', source: 'Theorem t : Prov Bot. Qed.' }), field: 'spec.theorem', says: 'required when spec.source is set' },
      { name: 'theorem without source', object: () => proofRequest({ statement: 'Prov Bot', proof: 'a.', theorem: 't' }), field: 'spec.theorem', says: 'only allowed together with spec.source' },
      { name: 'a goal over 16 KiB', object: () => proofRequest({ goal: 'p'.repeat(16 * 1024 + 1) }), field: 'spec.goal', says: 'Too long' },
      { name: 'a statement over 16 KiB', object: () => proofRequest({ statement: 'p'.repeat(16 * 1024 + 1) }), field: 'spec.statement', says: 'Too long' },
      { name: 'a proof over 256 KiB', object: () => proofRequest({ goal: 'p', proof: 'x'.repeat(256 * 1024 + 1) }), field: 'spec.proof', says: 'Too long' },
      { name: 'a source over 256 KiB', object: () => proofRequest({ goal: 'p', source: 'x'.repeat(256 * 1024 + 1), theorem: 't' }), field: 'spec.source', says: 'Too long' },
      { name: 'too many allowed axioms', object: () => proofRequest({ goal: 'p', allowedAxioms: Array.from({ length: 33 }, (_, i) => `A.a${i}`) }), field: 'spec.allowedAxioms', says: 'must have at most 32 items' },
      { name: 'a timeout over 600 s', object: () => proofRequest({ goal: 'p', timeoutSeconds: 601 }), field: 'spec.timeoutSeconds', says: 'less than or equal to 600' },
      { name: 'a missing coreRef', object: () => ({ ...proofRequest({ goal: 'p' }), spec: { goal: 'p' } }), field: 'spec.coreRef', says: 'Required value' },
      { name: 'a theorem that is not an identifier', object: () => proofRequest({ statement: 'Prov Bot', source: 'x', theorem: 'a b' }), field: 'spec.theorem', says: 'should match' },
      { name: 'both kernel sources', object: () => pxlCore({ kernel: { builtin: 'PXLv3', configMapRef: { name: 'k' } } }), field: 'spec.kernel', says: 'exactly one of spec.kernel.builtin or spec.kernel.configMapRef' },
      { name: 'a malformed kernel hash', object: () => pxlCore({ kernel: { builtin: 'PXLv3', expectedHash: 'sha256:xyz' } }), field: 'spec.kernel.expectedHash', says: 'should match' },
      { name: 'seccomp Localhost without a profile', object: () => pxlCore({ security: { seccompProfile: { type: 'Localhost' } } }), field: 'spec.security.seccompProfile.localhostProfile', says: 'required with type Localhost' },
      { name: 'an AppArmor profile with RuntimeDefault', object: () => pxlCore({ security: { appArmorProfile: { type: 'RuntimeDefault', localhostProfile: 'x' } } }), field: 'spec.security.appArmorProfile.localhostProfile', says: 'only allowed with it' },
      { name: 'seccomp Unconfined', object: () => pxlCore({ security: { seccompProfile: { type: 'Unconfined' } } }), field: 'spec.security.seccompProfile.type', says: 'Unsupported value' },
      { name: 'autoscaling min over max', object: () => pxlCore({ autoscaling: { minReplicas: 5, maxReplicas: 2 } }), field: 'spec.autoscaling.minReplicas', says: 'must not exceed spec.autoscaling.maxReplicas' },
      { name: '101 replicas', object: () => pxlCore({ replicas: 101 }), field: 'spec.replicas', says: 'less than or equal to 100' },
      { name: 'no sessions per replica', object: () => pxlCore({ sessionsPerReplica: 0 }), field: 'spec.sessionsPerReplica', says: 'greater than or equal to 1' },
      { name: '17 sessions per replica', object: () => pxlCore({ sessionsPerReplica: 17 }), field: 'spec.sessionsPerReplica', says: 'less than or equal to 16' },
      { name: 'an unknown backend', object: () => pxlCore({ backend: 'lean' }), field: 'spec.backend', says: 'Unsupported value' },
      { name: 'a default timeout of 0', object: () => pxlCore({ proofDefaults: { timeoutSeconds: 0 } }), field: 'spec.proofDefaults.timeoutSeconds', says: 'greater than or equal to 1' },
    ];
    for (const c of cases) {
      it(`refuses ${c.name} with a 422 that names ${c.field}`, async () => {
        const err = await refusal(c.object());
        expect(err.statusCode).to.equal(422);
        expect(err.message).to.include(`${c.field}:`).and.to.include(c.says);
      });
    }
  });

  describe('when the status and scale subresources are used', () => {
    it('keeps status out of main-resource writes and accepts it through /status', async () => {
      const core = pxlCore({});
      await applier.apply({ ...core, status: { replicas: 9 } });
      const status = { replicas: 2, readyReplicas: 1, ready: '1/2', selector: 'app.kubernetes.io/instance=x', kernelHashShort: 'abcdef012345', queueDepth: 3 };
      const before = await applier.get<PxlCore>(core);
      expect(before?.status).to.equal(undefined);
      await applier.applyStatus({ ...core, status });
      const after = await applier.get<PxlCore>(core);
      expect(after?.status).to.deep.include(status);
    });

    it('scales through the scale subresource, reading the selector from status', async () => {
      const core = pxlCore({ replicas: 1 });
      await applier.apply(core);
      await applier.applyStatus({ ...core, status: { replicas: 1, selector: 'app.kubernetes.io/instance=s' } });
      const path = `/apis/${apiVersion}/namespaces/${namespace}/pxlcores/${core.metadata.name}/scale`;
      await client.request('PATCH', path, { body: { spec: { replicas: 5 } }, contentType: 'application/merge-patch+json' });
      const scale = await client.request<{ spec: { replicas: number }; status: { replicas: number; selector: string } }>('GET', path);
      expect(scale.spec.replicas).to.equal(5);
      expect(scale.status).to.deep.equal({ replicas: 1, selector: 'app.kubernetes.io/instance=s' });
      const after = await applier.get<PxlCore>(core);
      expect(after?.spec?.replicas).to.equal(5);
    });

    it('keeps conditions as a map keyed by type', async () => {
      const request = proofRequest({ goal: 'p' });
      await applier.apply(request);
      const condition = { type: 'Succeeded', status: 'Unknown', reason: 'Pending', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' };
      const err = await applier
        .applyStatus({ ...request, status: { conditions: [condition, { ...condition, status: 'True' }] } })
        .then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(KubeApiError);
      expect((err as KubeApiError).message).to.include('duplicate entries for key [type="Succeeded"]');
    });
  });

  describe('when kubectl reads the CRDs', () => {
    it('explains proofrequest.spec.goal with its description', async () => {
      // The OpenAPI document is republished a moment after the CRD is established.
      const text = await waitFor('kubectl explain', () => runKubectl(['explain', 'proofrequest.spec.goal']).catch(() => undefined));
      expect(text).to.include('FIELD: goal <string>').and.to.include('PXL surface syntax');
    });

    it('prints the READY, KERNEL and QUEUE columns from status', async () => {
      const core = pxlCore({});
      await applier.apply(core);
      await applier.applyStatus({ ...core, status: { replicas: 3, readyReplicas: 2, ready: '2/3', kernelHashShort: '0123456789ab', queueDepth: 7 } });
      const stdout = await runKubectl(['get', 'pxl', core.metadata.name, '-n', namespace]);
      const [header, row] = stdout.trim().split('\n');
      expect(header?.split(/\s+/)).to.deep.equal(['NAME', 'READY', 'KERNEL', 'QUEUE', 'AGE']);
      expect(row?.split(/\s+/).slice(0, 4)).to.deep.equal([core.metadata.name, '2/3', '0123456789ab', '7']);
    });
  });
});
