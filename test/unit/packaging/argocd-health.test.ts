import { expect } from 'chai';
import { runHealthScript } from './argocd-health-runner.js';

const condition = (type: string, status: string, reason: string, message: string, observedGeneration = 2) => ({
  type, status, reason, message, observedGeneration, lastTransitionTime: '2026-12-04T20:00:00Z',
});
const core = (status?: unknown, spec: Record<string, unknown> = { replicas: 2 }) => ({
  apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'PxlCore',
  metadata: { name: 'core', namespace: 'proofs', generation: 2 }, spec,
  ...(status === undefined ? {} : { status }),
});
const request = (status?: unknown) => ({
  apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'ProofRequest',
  metadata: { name: 'box-k', namespace: 'proofs', generation: 2 }, spec: { coreRef: { name: 'core' }, goal: 'p -> p', ttlSecondsAfterFinished: null },
  ...(status === undefined ? {} : { status }),
});

const coreCases = [
  { name: 'no status yet', object: core(), status: 'Progressing', message: /Waiting for the operator/ },
  { name: 'status for an older generation', object: core({ observedGeneration: 1, replicas: 2, readyReplicas: 2, conditions: [condition('Ready', 'True', 'Ready', 'all ready', 1)] }), status: 'Progressing', message: /generation 2/ },
  { name: 'Ready for the current generation', object: core({ observedGeneration: 2, replicas: 2, readyReplicas: 2, conditions: [condition('Ready', 'True', 'Ready', '2/2 provers ready, kernel sha256:ab12'), condition('Progressing', 'False', 'RolloutComplete', ''), condition('Degraded', 'False', 'AsExpected', '')] }), status: 'Healthy', message: /^2\/2 provers ready, kernel sha256:ab12$/ },
  { name: 'Ready without a message', object: core({ observedGeneration: 2, replicas: 3, readyReplicas: 3, conditions: [condition('Ready', 'True', 'Ready', '')] }), status: 'Healthy', message: /^3\/3 provers ready$/ },
  { name: 'a rolling update', object: core({ observedGeneration: 2, replicas: 3, readyReplicas: 2, conditions: [condition('Ready', 'True', 'Ready', ''), condition('Progressing', 'True', 'RollingUpdate', '1 of 3 provers updated')] }), status: 'Progressing', message: /^1 of 3 provers updated$/ },
  { name: 'a degraded pool', object: core({ observedGeneration: 2, replicas: 2, readyReplicas: 0, conditions: [condition('Ready', 'False', 'KernelHashMismatch', 'x'), condition('Degraded', 'True', 'KernelHashMismatch', 'kernel hash sha256:00 does not match expectedHash sha256:ff')] }), status: 'Degraded', message: /^kernel hash sha256:00 does not match expectedHash sha256:ff$/ },
  { name: 'not ready and not rolling', object: core({ observedGeneration: 2, replicas: 2, readyReplicas: 0, conditions: [condition('Ready', 'False', 'NoReadyProver', 'no prover Pod is ready')] }), status: 'Degraded', message: /^no prover Pod is ready$/ },
  { name: 'a Ready condition from an older generation', object: core({ observedGeneration: 2, replicas: 2, readyReplicas: 2, conditions: [condition('Ready', 'True', 'Ready', 'old', 1)] }), status: 'Progressing', message: /Waiting for the Ready condition/ },
  { name: 'been scaled to zero', object: core({ observedGeneration: 2, replicas: 0, readyReplicas: 0, conditions: [condition('Ready', 'False', 'NoReadyProver', '0/0 provers ready'), condition('Progressing', 'False', 'RolloutComplete', '')] }, { replicas: 0 }), status: 'Suspended', message: /^Scaled to 0 replicas$/ },
  { name: 'zero replicas but autoscaling on', object: core({ observedGeneration: 2, replicas: 0, readyReplicas: 0, conditions: [condition('Ready', 'False', 'NoReadyProver', '0/0 provers ready'), condition('Progressing', 'False', 'RolloutComplete', '')] }, { replicas: 0, autoscaling: { enabled: true } }), status: 'Degraded', message: /^0\/0 provers ready$/ },
  { name: 'no conditions', object: core({ observedGeneration: 2, conditions: [] }), status: 'Progressing', message: /^Waiting for the Ready condition: 0\/0 provers ready$/ },
];

const requestCases = [
  { name: 'no status yet', object: request(), status: 'Progressing', message: /Waiting for the operator/ },
  { name: 'Pending', object: request({ observedGeneration: 2, phase: 'Pending', conditions: [condition('Succeeded', 'Unknown', 'Pending', 'waiting for a ready prover')] }), status: 'Progressing', message: /^Pending: waiting for a ready prover$/ },
  { name: 'Running', object: request({ observedGeneration: 2, phase: 'Running', conditions: [condition('Succeeded', 'Unknown', 'Running', '')] }), status: 'Progressing', message: /^Running$/ },
  { name: 'Proved for the current generation', object: request({ observedGeneration: 2, phase: 'Proved', conditions: [condition('Succeeded', 'True', 'Proved', 'kernel accepted the proof')] }), status: 'Healthy', message: /^Proved: kernel accepted the proof$/ },
  { name: 'Proved for an older generation', object: request({ observedGeneration: 1, phase: 'Proved', conditions: [condition('Succeeded', 'True', 'Proved', '', 1)] }), status: 'Progressing', message: /^Verifying generation 2$/ },
  { name: 'Refuted', object: request({ observedGeneration: 2, phase: 'Refuted', conditions: [condition('Succeeded', 'False', 'Refuted', 'countermodel: p false at w0')] }), status: 'Degraded', message: /^Refuted: countermodel: p false at w0$/ },
  { name: 'Failed by a timeout', object: request({ observedGeneration: 2, phase: 'Failed', conditions: [condition('Succeeded', 'False', 'Timeout', 'no verdict within 30s')] }), status: 'Degraded', message: /^Failed \(Timeout\): no verdict within 30s$/ },
  { name: 'Rejected with quotes and non-ASCII', object: request({ observedGeneration: 2, phase: 'Rejected', conditions: [condition('Succeeded', 'False', 'ParseError', 'line 1, column 3: expected ")" after "□ p"\n')] }), status: 'Degraded', message: /^Rejected \(ParseError\): line 1, column 3: expected "\)" after "□ p"\n$/ },
  { name: 'Error', object: request({ observedGeneration: 2, phase: 'Error', conditions: [condition('Succeeded', 'False', 'NoReadyProver', 'gave up after 5 attempts')] }), status: 'Degraded', message: /^Error \(NoReadyProver\): gave up after 5 attempts$/ },
  { name: 'an unknown phase', object: request({ observedGeneration: 2, phase: 'Paused' }), status: 'Unknown', message: /Unknown phase Paused/ },
];

for (const [kind, cases] of [['PxlCore', coreCases], ['ProofRequest', requestCases]] as const) {
  describe(`${kind} health.lua`, () => {
    for (const { name, object, status, message } of cases) {
      describe(`when the object has ${name}`, () => {
        it(`is ${status} with the expected message`, async () => {
          const health = await runHealthScript(kind, object);
          expect(health.status).to.equal(status);
          expect(health.message).to.match(message);
        });
      });
    }
  });
}
