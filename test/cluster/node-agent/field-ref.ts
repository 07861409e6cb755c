import type { V1Container, V1ObjectFieldSelector, V1Pod, V1ResourceFieldSelector } from '@kubernetes/client-node';
import { ContainerConfigError } from './errors.js';
import { parseQuantity } from './quantity.js';

/** What the downward API can see of a Pod once the agent has placed it. */
export interface PodPlacement {
  readonly pod: V1Pod;
  readonly podIP: string;
  readonly hostIP: string;
}

/** What a container gets for cpu and memory when it sets no limit: the node's allocatable. */
export const nodeAllocatable = { cpu: 16, memory: 64 * 2 ** 30 } as const;

function formatLabels(values: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(values ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join('\n');
}

/** Resolves a `fieldRef` the way the kubelet does, or throws a ContainerConfigError naming the field. */
export function resolveFieldRef(ref: V1ObjectFieldSelector, placement: PodPlacement): string {
  const { pod } = placement;
  const path = ref.fieldPath;
  const mapKey = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (mapKey !== null) {
    const source = mapKey[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return source?.[mapKey[2] ?? ''] ?? '';
  }
  switch (path) {
    case 'metadata.name': return pod.metadata?.name ?? '';
    case 'metadata.namespace': return pod.metadata?.namespace ?? '';
    case 'metadata.uid': return pod.metadata?.uid ?? '';
    case 'metadata.labels': return formatLabels(pod.metadata?.labels);
    case 'metadata.annotations': return formatLabels(pod.metadata?.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': case 'status.podIPs': return placement.podIP;
    case 'status.hostIP': case 'status.hostIPs': return placement.hostIP;
    default: throw new ContainerConfigError(`fieldRef ${path} is not supported by the PXL node agent`);
  }
}

/** Resolves a `resourceFieldRef` (limits/requests of cpu or memory, with divisor) for a container. */
export function resolveResourceFieldRef(ref: V1ResourceFieldSelector, container: V1Container): string {
  const [kind, resource] = ref.resource.split('.');
  if ((kind !== 'limits' && kind !== 'requests') || (resource !== 'cpu' && resource !== 'memory')) {
    throw new ContainerConfigError(`resourceFieldRef ${ref.resource} is not supported by the PXL node agent`);
  }
  const declared = container.resources?.[kind]?.[resource];
  const fallback = kind === 'limits' ? nodeAllocatable[resource] : 0;
  const value = declared === undefined ? fallback : parseQuantity(declared);
  const divisor = parseQuantity(ref.divisor ?? '1');
  if (value === undefined || divisor === undefined || divisor <= 0) {
    throw new ContainerConfigError(`resourceFieldRef ${ref.resource}: cannot parse the quantity or divisor`);
  }
  return String(Math.ceil(value / divisor));
}
