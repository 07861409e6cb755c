// The PxlCore status as a pure function of what the operator observed.
import { formatReady, shortenKernelHash, type PxlCoreStatus } from '../../../../crds/index.js';
import { mergeConditions, type ConditionInput } from '../shared/conditions.js';

/** The parts of a Deployment the status reads (a V1Deployment or its JSON). */
export interface DeploymentView {
  readonly metadata?: { readonly generation?: number };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly readyReplicas?: number;
    readonly updatedReplicas?: number;
    readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }[];
  };
}

/** A problem found while gathering, which makes the core Degraded. */
export interface GatherProblem {
  readonly reason: string;
  readonly message: string;
}

/** Everything the status depends on. */
export interface CoreObservation {
  readonly generation: number;
  readonly desiredReplicas: number;
  readonly deployment: DeploymentView | undefined;
  readonly selector: string;
  readonly kernelHash: string | undefined;
  readonly queueDepth: number;
  readonly problem: GatherProblem | undefined;
}

function findDeploymentFailure(deployment: DeploymentView | undefined): GatherProblem | undefined {
  for (const condition of deployment?.status?.conditions ?? []) {
    if (condition.type === 'ReplicaFailure' && condition.status === 'True') {
      return { reason: 'ReplicaFailure', message: condition.message ?? 'the Deployment cannot create prover Pods' };
    }
    if (condition.type === 'Progressing' && condition.status === 'False' && condition.reason === 'ProgressDeadlineExceeded') {
      return { reason: 'ProgressDeadlineExceeded', message: condition.message ?? 'the prover rollout is stuck' };
    }
  }
  return undefined;
}

function isRolledOut(observation: CoreObservation): boolean {
  const status = observation.deployment?.status;
  const generation = observation.deployment?.metadata?.generation ?? 0;
  return (
    status !== undefined &&
    (status.observedGeneration ?? 0) >= generation &&
    (status.updatedReplicas ?? 0) === observation.desiredReplicas &&
    (status.readyReplicas ?? 0) === observation.desiredReplicas &&
    (status.replicas ?? 0) === observation.desiredReplicas
  );
}

/** The conditions of a core: Ready (a prover can take work), Progressing (rolling out), Degraded (needs a human). */
export function computeCoreConditions(observation: CoreObservation): ConditionInput[] {
  const generation = observation.generation;
  const ready = observation.deployment?.status?.readyReplicas ?? 0;
  const readyCondition: ConditionInput =
    ready > 0
      ? { type: 'Ready', status: 'True', reason: 'ProversReady', message: `${ready}/${observation.desiredReplicas} provers ready`, observedGeneration: generation }
      : { type: 'Ready', status: 'False', reason: 'NoReadyProver', message: `0/${observation.desiredReplicas} provers ready`, observedGeneration: generation };
  const progressing: ConditionInput = isRolledOut(observation)
    ? { type: 'Progressing', status: 'False', reason: 'RolloutComplete', message: 'every prover runs the current spec and is ready', observedGeneration: generation }
    : { type: 'Progressing', status: 'True', reason: 'RollingOut', message: 'provers are being created or updated', observedGeneration: generation };
  const problem = observation.problem ?? findDeploymentFailure(observation.deployment);
  const degraded: ConditionInput =
    problem === undefined
      ? { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '', observedGeneration: generation }
      : { type: 'Degraded', status: 'True', reason: problem.reason, message: problem.message, observedGeneration: generation };
  return [readyCondition, progressing, degraded];
}

/** The full status to write, reusing transition times from `previous`. */
export function computeCoreStatus(previous: PxlCoreStatus | undefined, observation: CoreObservation, now: string): PxlCoreStatus {
  const replicas = observation.deployment?.status?.replicas ?? 0;
  const readyReplicas = observation.deployment?.status?.readyReplicas ?? 0;
  const kernelHash = observation.kernelHash;
  return {
    observedGeneration: observation.generation,
    replicas,
    readyReplicas,
    ready: formatReady(readyReplicas, replicas),
    selector: observation.selector,
    ...(kernelHash === undefined ? {} : { kernelHash, kernelHashShort: shortenKernelHash(kernelHash) }),
    queueDepth: observation.queueDepth,
    conditions: mergeConditions(previous?.conditions, computeCoreConditions(observation), now),
  };
}
