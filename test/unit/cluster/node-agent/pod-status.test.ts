import type { V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import type { ContainerSnapshot, ContainerState } from '../../../cluster/node-agent/container-state.js';
import { toModel } from '../../../cluster/node-agent/plain.js';
import { buildPodStatus, computePhase, type PodObservation } from '../../../cluster/node-agent/pod-status.js';

const at = new Date('2026-01-01T00:00:00.000Z');
const running: ContainerState = { kind: 'running', startedAt: at };
const creating: ContainerState = { kind: 'waiting', reason: 'ContainerCreating' };
const exited = (exitCode: number): ContainerState => ({ kind: 'terminated', exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: at, finishedAt: at });

function container(state: ContainerState, extra: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
  return { name: 'c', image: 'pxl.test/http-echo:1', state, lastState: undefined, restartCount: 0, ready: false, started: false, done: false, containerID: undefined, ...extra };
}

function observe(containers: ContainerSnapshot[], initContainers: ContainerSnapshot[] = [], pod?: V1Pod): PodObservation {
  return { pod: pod ?? toModel<V1Pod>({ spec: { containers: [] } }), podIP: '127.42.0.2', hostIP: '127.0.0.1', startTime: at, sandboxReady: true, previousConditions: undefined, initContainers, containers };
}

describe('pod status', () => {
  describe('computePhase', () => {
    const cases: { name: string; observation: PodObservation; phase: string }[] = [
      { name: 'Pending before any container started', observation: observe([container(creating)]), phase: 'Pending' },
      { name: 'Running while a container runs', observation: observe([container(running), container(creating)]), phase: 'Running' },
      {
        name: 'Running while a crashed container backs off',
        observation: observe([container({ kind: 'waiting', reason: 'CrashLoopBackOff' }, { lastState: exited(1) as ContainerSnapshot['lastState'], restartCount: 1 })]),
        phase: 'Running',
      },
      { name: 'Succeeded when every container is done with 0', observation: observe([container(exited(0), { done: true })]), phase: 'Succeeded' },
      { name: 'Failed when a done container failed', observation: observe([container(exited(0), { done: true }), container(exited(2), { done: true })]), phase: 'Failed' },
      { name: 'Pending while an init container runs', observation: observe([container(creating)], [container(running)]), phase: 'Pending' },
      { name: 'Failed when an init container failed for good', observation: observe([container(creating)], [container(exited(1), { done: true })]), phase: 'Failed' },
      { name: 'Running after init containers completed', observation: observe([container(running)], [container(exited(0), { done: true })]), phase: 'Running' },
    ];
    for (const { name, observation, phase } of cases) {
      it(`is ${name}`, () => {
        expect(computePhase(observation)).to.equal(phase);
      });
    }
  });

  describe('buildPodStatus', () => {
    it('is Ready only when every container is ready', () => {
      const status = buildPodStatus(observe([container(running, { ready: true }), container(running, { ready: false })]), at);
      const ready = status.conditions?.find((condition) => condition.type === 'Ready');
      expect(ready?.status).to.equal('False');
      expect(ready?.reason).to.equal('ContainersNotReady');
    });

    it('waits for readiness gates set by others', () => {
      const pod = toModel<V1Pod>({ spec: { containers: [], readinessGates: [{ conditionType: 'example.com/gate' }] } });
      const status = buildPodStatus(observe([container(running, { ready: true })], [], pod), at);
      expect(status.conditions?.find((condition) => condition.type === 'ContainersReady')?.status).to.equal('True');
      expect(status.conditions?.find((condition) => condition.type === 'Ready')?.status).to.equal('False');
    });

    it('keeps foreign conditions and the transition time of unchanged ones', () => {
      const earlier = '2025-12-31T00:00:00Z';
      const pod = toModel<V1Pod>({ status: { conditions: [{ type: 'DisruptionTarget', status: 'True' }] } });
      const observation = { ...observe([container(running, { ready: true })], [], pod), previousConditions: [{ type: 'Ready', status: 'True', lastTransitionTime: earlier }] };
      const status = buildPodStatus(observation, at);
      expect(status.conditions?.find((condition) => condition.type === 'Ready')?.lastTransitionTime).to.equal(earlier);
      expect(status.conditions?.map((condition) => condition.type)).to.include('DisruptionTarget');
    });

    it('reports the Pod IP, the host IP and container states in API form', () => {
      const status = buildPodStatus(observe([container(exited(3), { done: true, restartCount: 2 })]), at);
      expect(status.podIPs).to.deep.equal([{ ip: '127.42.0.2' }]);
      expect(status.hostIP).to.equal('127.0.0.1');
      expect(status.containerStatuses?.[0]?.state?.terminated).to.include({ exitCode: 3, reason: 'Error', startedAt: '2026-01-01T00:00:00Z' });
      expect(status.containerStatuses?.[0]?.restartCount).to.equal(2);
    });
  });
});
