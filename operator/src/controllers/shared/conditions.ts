// metav1.Condition bookkeeping: a condition's transition time moves only when its status does.

/** A status condition in the metav1.Condition shape. */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime: string;
}

/** A condition before its transition time is known. */
export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

/** Merges `next` into `previous`: keeps the old transition time when the status did not change. */
export function mergeConditions(previous: readonly Condition[] | undefined, next: readonly ConditionInput[], now: string): Condition[] {
  return next.map((condition) => {
    const old = previous?.find((c) => c.type === condition.type);
    const lastTransitionTime = old !== undefined && old.status === condition.status ? old.lastTransitionTime : now;
    return { ...condition, lastTransitionTime };
  });
}

/** Finds a condition by type. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
