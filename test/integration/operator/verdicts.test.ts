import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { createTestNamespace, type TestNamespace } from '../../fixtures/kube.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { startOperator, type OperatorProcess } from './operator-process.js';
import { createCore, createRequest, getCore, getRequest, waitForReadyCore, waitForVerdict } from './proof-support.js';
import { createClient, ensureCrds, repoRoot, waitFor } from './operator-support.js';

interface Sample {
  readonly name: string;
  readonly spec: Record<string, unknown>;
  readonly expected: string;
}

/** The ProofRequest samples with the phase each file's comment promises. */
function readSamples(): Sample[] {
  const dir = join(repoRoot, 'config', 'samples');
  return readdirSync(dir)
    .filter((file) => file.startsWith('proofrequest-'))
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const expected = /Expected phase: (\w+)/.exec(text)?.[1];
      const doc = parse(text) as { metadata: { name: string }; spec: Record<string, unknown> };
      if (expected === undefined) throw new Error(`${file} has no "Expected phase" comment`);
      return { name: doc.metadata.name, spec: doc.spec, expected };
    });
}

describe('operator end to end: the samples on a restricted namespace', function () {
  this.timeout(300_000);
  let client: KubeClient;
  let namespace: TestNamespace;
  let operator: OperatorProcess;
  const samples = readSamples();

  before(async () => {
    client = createClient();
    await ensureCrds(client);
    namespace = await createTestNamespace({ 'pod-security.kubernetes.io/enforce': 'restricted' }, 'pxl-e2e');
    operator = startOperator(namespace.name);
  });

  after(async () => {
    await operator.kill();
    await namespace.delete();
    client.close();
  });

  it('covers every kind of request in the samples', () => {
    expect(samples.map((s) => s.expected)).to.include.members(['Proved', 'Refuted', 'Failed']);
    expect(samples.length).to.be.at.least(7);
  });

  describe('when the requests come before their core', () => {
    it('waits with reason CoreNotFound', async () => {
      for (const sample of samples) await createRequest(client, namespace.name, sample.name, sample.spec);
      const waiting = await waitFor('CoreNotFound on every request', async () => {
        const all = await Promise.all(samples.map((s) => getRequest(client, namespace.name, s.name)));
        const reasons = all.map((r) => r.status?.conditions?.find((c) => c.type === 'Succeeded')?.reason);
        return reasons.every((r) => r === 'CoreNotFound') ? all : undefined;
      }, 60_000);
      expect(waiting.map((r) => r.status?.phase)).to.satisfy((phases: string[]) => phases.every((p) => p === 'Pending'));
    });
  });

  describe('when the core appears', () => {
    it('admits its prover Pods under the restricted Pod Security Standard and becomes Ready', async () => {
      const coreDoc = parse(readFileSync(join(repoRoot, 'config', 'samples', 'pxlcore.yaml'), 'utf8')) as { spec: Record<string, unknown> };
      await createCore(client, namespace.name, 'core', { ...coreDoc.spec, replicas: 1 });
      const core = await waitForReadyCore(client, namespace.name, 'core', 1);
      expect(core.status?.conditions?.find((c) => c.type === 'Ready')?.status).to.equal('True');
      // The built-in kernel's hash is read from a ready prover's /version.
      const hashed = await waitFor('the kernel hash in status', async () => {
        const c = await getCore(client, namespace.name, 'core');
        return c.status?.kernelHash === undefined ? undefined : c;
      }, 60_000);
      expect(hashed.status?.kernelHash).to.match(/^sha256:[0-9a-f]{64}$/);
      expect(hashed.status?.kernelHashShort).to.equal(hashed.status?.kernelHash?.slice(7, 19));
    });

    for (const sample of samples) {
      it(`decides ${sample.name} as ${sample.expected}`, async () => {
        const request = await waitForVerdict(client, namespace.name, sample.name);
        expect(request.status?.phase, JSON.stringify(request.status?.conditions)).to.equal(sample.expected);
        const succeeded = request.status?.conditions?.find((c) => c.type === 'Succeeded');
        expect(succeeded?.status).to.equal(sample.expected === 'Proved' ? 'True' : 'False');
        expect(succeeded?.observedGeneration).to.equal(1);
        expect(request.status?.result?.prover).to.match(/^core-/);
        expect(request.status?.completionTime).to.be.a('string');
        if (sample.expected === 'Refuted') expect(request.status?.result?.countermodel?.worlds).to.not.be.empty;
      });
    }
  });

  describe('when a decided request is edited', () => {
    it('verifies the new generation again and records it', async () => {
      const path = `/apis/pxl.logos.dev/v1alpha1/namespaces/${namespace.name}/proofrequests/statement-k`;
      await client.request('PATCH', path, { body: { spec: { proof: 'intros p q. apply ax_T.' } }, contentType: 'application/merge-patch+json' });
      const edited = await waitForVerdict(client, namespace.name, 'statement-k');
      expect(edited.metadata.generation).to.equal(2);
      expect(edited.status?.observedGeneration).to.equal(2);
      expect(edited.status?.phase).to.equal('Failed');
      expect(edited.status?.attempts).to.equal(1);
    });
  });

  describe('when ttlSecondsAfterFinished is set', () => {
    it('deletes the request that long after its verdict', async () => {
      await createRequest(client, namespace.name, 'short-lived', {
        coreRef: { name: 'core' },
        statement: 'forall p, Prov (Impl (Box p) p)',
        proof: 'intro p. apply ax_T.',
        ttlSecondsAfterFinished: 2,
      });
      const decided = await waitForVerdict(client, namespace.name, 'short-lived');
      expect(decided.status?.phase).to.equal('Proved');
      const path = `/apis/pxl.logos.dev/v1alpha1/namespaces/${namespace.name}/proofrequests/short-lived`;
      await waitFor('the request deleted', async () => ((await client.getOrUndefined(path)) === undefined ? true : undefined), 30_000);
    });
  });

  describe('when a verdict is written', () => {
    it('records an Event a user can act on', async () => {
      const events = await waitFor('an Event for failing-proof', async () => {
        const list = await client.request<{ items: { involvedObject: { name: string }; type: string }[] }>('GET', `/api/v1/namespaces/${namespace.name}/events`);
        const found = list.items.filter((e) => e.involvedObject.name === 'failing-proof');
        return found.length > 0 ? found : undefined;
      });
      expect(events[0]?.type).to.equal('Warning');
    });
  });
});
