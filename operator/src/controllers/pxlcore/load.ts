// A core's load as the ProofRequest cache shows it: requests waiting and requests running.
import type { ProofRequest } from '../../../../crds/index.js';
import { isDecided } from '../proofrequest/status.js';

/** Requests of one core that have no verdict yet, split by whether a prover works on them. */
export interface CoreLoad {
  readonly waiting: number;
  readonly running: number;
}

/** Counts the undecided requests of `coreName` among the requests of its namespace. */
export function countCoreLoad(requests: readonly ProofRequest[], coreName: string): CoreLoad {
  let waiting = 0;
  let running = 0;
  for (const request of requests) {
    if (request.spec.coreRef.name !== coreName || request.metadata.deletionTimestamp !== undefined) continue;
    const generation = request.metadata.generation ?? 0;
    if (isDecided(request.status, generation)) continue;
    if (request.status?.phase === 'Running' && request.status.observedGeneration === generation) running += 1;
    else waiting += 1;
  }
  return { waiting, running };
}
