import { expect } from 'chai';
import { createTestNamespace, type TestNamespace } from '../../fixtures/kube.js';
import type { ProofRequest } from '../../../crds/index.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { readAuditedChecks } from './audit-log.js';
import { startOperator, type OperatorProcess } from './operator-process.js';
import { createCore, createRequest, finalPhases, listRequests, waitForReadyCore } from './proof-support.js';
import { createClient, ensureCrds, waitFor } from './operator-support.js';

const count = 50;

/** What must never change once a generation is decided. */
function fingerprint(request: ProofRequest): string {
  const s = request.status;
  return JSON.stringify([s?.observedGeneration, s?.phase, s?.completionTime, s?.result?.digest, s?.result?.prover]);
}

describe('operator killed and restarted in the middle of many requests', function () {
  this.timeout(420_000);
  let client: KubeClient;
  let namespace: TestNamespace;
  let operator: OperatorProcess | undefined;
  const firstDecided = new Map<string, string>();
  let final: ProofRequest[] = [];
  let decidedAtKill = 0;

  before(async () => {
    client = createClient();
    await ensureCrds(client);
    namespace = await createTestNamespace({}, 'pxl-restart');
    operator = startOperator(namespace.name);
    await createCore(client, namespace.name, 'core', { replicas: 1, sessionsPerReplica: 2 });
    await waitForReadyCore(client, namespace.name, 'core', 1);
    // Distinct proofs, so the prover's verdict cache cannot answer for them.
    for (let i = 0; i < count; i += 1) {
      await createRequest(client, namespace.name, `req-${i}`, {
        coreRef: { name: 'core' },
        statement: 'forall p, Prov (Impl (Box p) p)',
        proof: `do ${1000 + i * 2000} idtac. intro p. apply ax_T.`,
      });
    }
    const observe = async (): Promise<ProofRequest[]> => {
      const all = await listRequests(client, namespace.name);
      for (const r of all) {
        if (finalPhases.has(r.status?.phase ?? '') && !firstDecided.has(r.metadata.name ?? '')) firstDecided.set(r.metadata.name ?? '', fingerprint(r));
      }
      return all;
    };
    await waitFor('some verdicts before the kill', async () => {
      await observe();
      return firstDecided.size >= 10 ? true : undefined;
    }, 180_000);
    decidedAtKill = firstDecided.size;
    await operator.kill('SIGKILL');
    operator = startOperator(namespace.name);
    final = await waitFor('every verdict after the restart', async () => {
      const all = await observe();
      return all.every((r) => finalPhases.has(r.status?.phase ?? '')) ? all : undefined;
    }, 300_000);
  });

  after(async () => {
    await operator?.kill();
    await namespace.delete();
    client.close();
  });

  it('killed the operator while requests were still open', () => {
    expect(decidedAtKill).to.be.within(10, count - 1);
  });

  it('loses none: every request is Proved', () => {
    expect(final).to.have.length(count);
    expect(final.filter((r) => r.status?.phase !== 'Proved').map((r) => r.metadata.name)).to.deep.equal([]);
  });

  it('changes no verdict once written', () => {
    for (const request of final) {
      const first = firstDecided.get(request.metadata.name ?? '');
      expect(fingerprint(request), request.metadata.name).to.equal(first);
    }
  });

  it('proves none twice: no check was sent after a verdict was written', async () => {
    const checks = await readAuditedChecks(client, namespace.name);
    const byUid = new Map<string, number[]>();
    for (const check of checks) {
      const [uid, , attempt] = check.requestId.split('/');
      if (uid === undefined) continue;
      byUid.set(uid, [...(byUid.get(uid) ?? []), Number(attempt)]);
    }
    expect(checks.length).to.be.at.least(count);
    for (const request of final) {
      const attempts = byUid.get(request.metadata.uid ?? '') ?? [];
      // A check interrupted by the kill may be sent again (a new attempt); one after the verdict may not.
      expect(attempts.length, request.metadata.name).to.be.within(1, request.status?.attempts ?? 0);
      expect(Math.max(...attempts), request.metadata.name).to.be.at.most(request.status?.attempts ?? 0);
    }
  });
});
