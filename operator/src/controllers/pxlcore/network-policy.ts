// The NetworkPolicy that admits only the operator (and configured metrics scrapers) and lets provers reach DNS only.
import type { V1LabelSelector, V1ObjectMeta } from '@kubernetes/client-node';
import type { Plain } from '../shared/plain.js';
import { childNames, proverPort, selectorLabels } from './names.js';
import { buildChildMeta, type CoreIdentity } from './owner.js';

/** Where the operator runs, so that only its pods are admitted. */
export interface OperatorIdentity {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A NetworkPolicy as plain JSON (the client's model renames `from` to `_from`, which apply must not see). */
export interface NetworkPolicyManifest {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: Plain<V1ObjectMeta>;
  readonly spec: Record<string, unknown>;
}

interface Peer {
  readonly namespaceSelector?: Plain<V1LabelSelector>;
  readonly podSelector?: Plain<V1LabelSelector>;
}

/** The desired NetworkPolicy of a core; `metricsFrom` are NetworkPolicyPeer objects as the user wrote them. */
export function buildNetworkPolicy(core: CoreIdentity, operator: OperatorIdentity, metricsFrom: readonly Record<string, unknown>[]): NetworkPolicyManifest {
  // One peer with both selectors means "these pods in that namespace"; two peers would admit either.
  const operatorPeer: Peer = {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': operator.namespace } },
    podSelector: { matchLabels: { ...operator.labels } },
  };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: buildChildMeta(core, childNames(core.name).networkPolicy),
    spec: {
      podSelector: { matchLabels: selectorLabels(core.name) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [operatorPeer, ...metricsFrom], ports: [{ protocol: 'TCP', port: proverPort }] }],
      egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
    },
  };
}
