// The ready prover Pods of a core, read from its Service's EndpointSlices.
import { proverPort } from '../pxlcore/names.js';

/** The parts of an EndpointSlice dispatch reads (a V1EndpointSlice or its JSON). */
export interface EndpointSliceView {
  readonly ports?: readonly { readonly name?: string; readonly port?: number }[];
  readonly endpoints?: readonly {
    readonly addresses: readonly string[];
    readonly conditions?: { readonly ready?: boolean };
    readonly targetRef?: { readonly kind?: string; readonly name?: string };
  }[];
}

/** One ready prover Pod and where to reach it. */
export interface ProverEndpoint {
  readonly podName: string;
  readonly url: string;
}

/** The ready, serving endpoints of the slices, one per Pod, in a stable order. */
export function listReadyEndpoints(slices: readonly EndpointSliceView[]): ProverEndpoint[] {
  const byPod = new Map<string, ProverEndpoint>();
  for (const slice of slices) {
    const port = slice.ports?.find((p) => p.name === 'http')?.port ?? slice.ports?.[0]?.port ?? proverPort;
    for (const endpoint of slice.endpoints ?? []) {
      const address = endpoint.addresses[0];
      const podName = endpoint.targetRef?.kind === 'Pod' ? endpoint.targetRef.name : undefined;
      // Terminating Pods still finish their proofs but take no new ones.
      if (address === undefined || podName === undefined || endpoint.conditions?.ready !== true) continue;
      const host = address.includes(':') ? `[${address}]` : address;
      byPod.set(podName, { podName, url: `http://${host}:${port}` });
    }
  }
  return [...byPod.values()].sort((a, b) => a.podName.localeCompare(b.podName));
}

/** The parts of a Pod the fallback reads (a V1Pod or its JSON). */
export interface PodView {
  readonly metadata?: { readonly name?: string; readonly deletionTimestamp?: unknown };
  readonly status?: { readonly podIP?: string; readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

/** Ready, not terminating Pods with an IP: the same signal the EndpointSlice controller publishes. */
export function listReadyPods(pods: readonly PodView[], port: number = proverPort): ProverEndpoint[] {
  const endpoints: ProverEndpoint[] = [];
  for (const pod of pods) {
    const name = pod.metadata?.name;
    const ip = pod.status?.podIP;
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (name === undefined || ip === undefined || ip === '' || !ready || pod.metadata?.deletionTimestamp != null) continue;
    endpoints.push({ podName: name, url: `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}` });
  }
  return endpoints.sort((a, b) => a.podName.localeCompare(b.podName));
}

/**
 * The ready endpoints of a core: its EndpointSlices when they list any, else its ready Pods. The fallback
 * exists because EndpointSlice validation refuses loopback addresses, and the local plane's Pods live on
 * 127.42.0.0/16; in a real cluster the slices are used.
 */
export function resolveEndpoints(slices: readonly EndpointSliceView[], pods: readonly PodView[]): ProverEndpoint[] {
  const fromSlices = listReadyEndpoints(slices);
  const anyListed = slices.some((slice) => (slice.endpoints ?? []).length > 0);
  return anyListed ? fromSlices : listReadyPods(pods);
}

/** The least loaded Pod below `capacity`, preferring Pods not in `avoid` (where the last attempt failed). */
export function choosePod(endpoints: readonly ProverEndpoint[], load: (podName: string) => number, capacity: number, avoid: ReadonlySet<string>): ProverEndpoint | undefined {
  let best: ProverEndpoint | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const endpoint of endpoints) {
    const outstanding = load(endpoint.podName);
    if (outstanding >= capacity) continue;
    // Avoided Pods are a last resort: a single-replica core must still retry on its only Pod.
    const score = outstanding + (avoid.has(endpoint.podName) ? capacity : 0);
    if (score < bestScore) {
      best = endpoint;
      bestScore = score;
    }
  }
  return best;
}
