// The PodDisruptionBudget that keeps voluntary evictions to one prover Pod at a time.
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Plain } from '../shared/plain.js';
import { childNames, selectorLabels } from './names.js';
import { buildChildMeta, type CoreIdentity } from './owner.js';

/** The desired PodDisruptionBudget of a core; maxUnavailable 1 never blocks a drain of a single replica. */
export function buildPodDisruptionBudget(core: CoreIdentity): Plain<V1PodDisruptionBudget> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: buildChildMeta(core, childNames(core.name).podDisruptionBudget),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(core.name) } },
  };
}
