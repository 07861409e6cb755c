// The prover Pods' ServiceAccount: the provers never talk to the API server, so no token is mounted.
import type { V1ServiceAccount } from '@kubernetes/client-node';
import type { Plain } from '../shared/plain.js';
import { childNames } from './names.js';
import { buildChildMeta, type CoreIdentity } from './owner.js';

/** The desired ServiceAccount of a core. */
export function buildServiceAccount(core: CoreIdentity): Plain<V1ServiceAccount> {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: buildChildMeta(core, childNames(core.name).serviceAccount),
    automountServiceAccountToken: false,
  };
}
