import type { V1ContainerState, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';
import type { ContainerSnapshot, ContainerState } from './container-state.js';
import { formatTime, type Plain } from './plain.js';

/** What the agent knows about a Pod, from which its status is computed. */
export interface PodObservation {
  readonly pod: V1Pod;
  readonly podIP: string | undefined;
  readonly hostIP: string;
  readonly startTime: Date;
  readonly sandboxReady: boolean;
  /** The conditions last written by the agent, so transition times stay put between writes. */
  readonly previousConditions: readonly Plain<V1PodCondition>[] | undefined;
  readonly initContainers: readonly ContainerSnapshot[];
  readonly containers: readonly ContainerSnapshot[];
}

/** Converts a container state to its API form. */
export function toApiState(state: ContainerState): Plain<V1ContainerState> {
  switch (state.kind) {
    case 'waiting':
      return { waiting: { reason: state.reason, ...(state.message === undefined ? {} : { message: state.message }) } };
    case 'running':
      return { running: { startedAt: formatTime(state.startedAt) } };
    case 'terminated':
      return {
        terminated: {
          exitCode: state.exitCode, reason: state.reason, startedAt: formatTime(state.startedAt), finishedAt: formatTime(state.finishedAt),
          ...(state.message === undefined ? {} : { message: state.message }),
          ...(state.signal === undefined ? {} : { signal: state.signal }),
        },
      };
  }
}

function toContainerStatus(snapshot: ContainerSnapshot): Plain<V1ContainerStatus> {
  return {
    name: snapshot.name, image: snapshot.image, imageID: `pxl-node-agent://${snapshot.image}`,
    ready: snapshot.ready, started: snapshot.started, restartCount: snapshot.restartCount,
    state: toApiState(snapshot.state),
    lastState: snapshot.lastState === undefined ? {} : toApiState(snapshot.lastState),
    ...(snapshot.containerID === undefined ? {} : { containerID: snapshot.containerID }),
  };
}

function isSucceeded(snapshot: ContainerSnapshot): boolean {
  return snapshot.state.kind === 'terminated' && snapshot.state.exitCode === 0;
}

/** Derives the phase, a summary of the containers, as the kubelet does. */
export function computePhase(observation: PodObservation): NonNullable<V1PodStatus['phase']> {
  const { initContainers, containers } = observation;
  if (initContainers.some((init) => init.done && !isSucceeded(init))) {
    return 'Failed';
  }
  if (!initContainers.every(isSucceeded)) {
    return 'Pending';
  }
  if (containers.length > 0 && containers.every((container) => container.done)) {
    return containers.every(isSucceeded) ? 'Succeeded' : 'Failed';
  }
  const everRan = containers.some((container) => container.state.kind !== 'waiting' || container.lastState !== undefined);
  return everRan ? 'Running' : 'Pending';
}

function condition(type: string, ok: boolean, previous: readonly Plain<V1PodCondition>[], now: string, reason?: string): Plain<V1PodCondition> {
  const status = ok ? 'True' : 'False';
  const before = previous.find((existing) => existing.type === type);
  const lastTransitionTime = before?.status === status && before.lastTransitionTime !== undefined ? before.lastTransitionTime : now;
  return { type, status, lastTransitionTime, ...(ok || reason === undefined ? {} : { reason }) };
}

function computeConditions(observation: PodObservation, phase: string, now: string): Plain<V1PodCondition>[] {
  const current = (observation.pod.status?.conditions ?? []) as unknown as Plain<V1PodCondition>[];
  const previous = observation.previousConditions ?? current;
  const initialized = observation.initContainers.every(isSucceeded);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const containersReady = !terminal && observation.containers.every((container) => container.ready);
  const gatesReady = (observation.pod.spec?.readinessGates ?? []).every((gate) =>
    current.some((existing) => existing.type === gate.conditionType && existing.status === 'True'));
  const ours = [
    condition('PodReadyToStartContainers', observation.sandboxReady, previous, now),
    condition('Initialized', initialized, previous, now, 'ContainersNotInitialized'),
    condition('ContainersReady', containersReady, previous, now, terminal ? 'PodCompleted' : 'ContainersNotReady'),
    condition('Ready', containersReady && gatesReady, previous, now, terminal ? 'PodCompleted' : 'ContainersNotReady'),
    condition('PodScheduled', true, previous, now),
  ];
  // Conditions other components own (readiness gates, DisruptionTarget) are kept as they are.
  const foreign = current.filter((existing) => !ours.some((own) => own.type === existing.type));
  return [...ours, ...foreign];
}

/** Computes the full status the agent writes for a Pod. */
export function buildPodStatus(observation: PodObservation, now: Date): Plain<V1PodStatus> {
  const phase = computePhase(observation);
  const ips = observation.podIP === undefined ? {} : { podIP: observation.podIP, podIPs: [{ ip: observation.podIP }] };
  return {
    phase,
    conditions: computeConditions(observation, phase, formatTime(now)),
    hostIP: observation.hostIP,
    hostIPs: [{ ip: observation.hostIP }],
    ...ips,
    startTime: formatTime(observation.startTime),
    ...(observation.pod.status?.qosClass === undefined ? {} : { qosClass: observation.pod.status.qosClass }),
    initContainerStatuses: observation.initContainers.map(toContainerStatus),
    containerStatuses: observation.containers.map(toContainerStatus),
  };
}
