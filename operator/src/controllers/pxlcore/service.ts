// The Service in front of a core's prover Pods; the operator itself dispatches by EndpointSlice.
import type { V1Service } from '@kubernetes/client-node';
import type { Plain } from '../shared/plain.js';
import { childNames, proverPort, selectorLabels } from './names.js';
import { buildChildMeta, type CoreIdentity } from './owner.js';

/** The desired Service of a core. */
export function buildService(core: CoreIdentity): Plain<V1Service> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: buildChildMeta(core, childNames(core.name).service),
    spec: {
      selector: selectorLabels(core.name),
      ports: [{ name: 'http', port: proverPort, targetPort: proverPort, protocol: 'TCP' }],
      // Readiness gates dispatch; unready provers must not receive proofs through the Service either.
      publishNotReadyAddresses: false,
    },
  };
}
