// How many prover replicas a core should run: its spec, or its queue when autoscaling is enabled.

/** The autoscaling part of a PxlCore spec. */
export interface AutoscalingSpec {
  readonly enabled?: boolean;
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  readonly targetQueuePerReplica?: number;
}

/** The replica count for the Deployment; `outstanding` is the core's waiting plus running requests. */
export function computeDesiredReplicas(specReplicas: number | undefined, autoscaling: AutoscalingSpec | undefined, outstanding: number): number {
  const fixed = specReplicas ?? 3;
  if (autoscaling?.enabled !== true) return fixed;
  const min = Math.max(0, autoscaling.minReplicas ?? 1);
  const max = Math.max(min, autoscaling.maxReplicas ?? 10);
  const target = Math.max(1, autoscaling.targetQueuePerReplica ?? 4);
  return Math.min(max, Math.max(min, Math.ceil(outstanding / target)));
}
