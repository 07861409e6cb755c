// Shared steps of the operator's integration tests: cores, requests and waiting for verdicts.
import type { ProofRequest, PxlCore } from '../../../crds/index.js';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { waitFor } from './operator-support.js';

const base = '/apis/pxl.logos.dev/v1alpha1/namespaces';

/** Phases that end a generation. */
export const finalPhases = new Set(['Proved', 'Refuted', 'Failed', 'Rejected', 'Error']);

/** Creates a PxlCore. */
export async function createCore(client: KubeClient, namespace: string, name: string, spec: Record<string, unknown>): Promise<PxlCore> {
  return client.request<PxlCore>('POST', `${base}/${namespace}/pxlcores`, {
    body: { apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'PxlCore', metadata: { name, namespace }, spec },
  });
}

/** Creates a ProofRequest. */
export async function createRequest(client: KubeClient, namespace: string, name: string, spec: Record<string, unknown>): Promise<ProofRequest> {
  return client.request<ProofRequest>('POST', `${base}/${namespace}/proofrequests`, {
    body: { apiVersion: 'pxl.logos.dev/v1alpha1', kind: 'ProofRequest', metadata: { name, namespace }, spec },
  });
}

/** Reads a ProofRequest. */
export async function getRequest(client: KubeClient, namespace: string, name: string): Promise<ProofRequest> {
  return client.request<ProofRequest>('GET', `${base}/${namespace}/proofrequests/${name}`);
}

/** Lists the ProofRequests of a namespace. */
export async function listRequests(client: KubeClient, namespace: string): Promise<ProofRequest[]> {
  return (await client.request<{ items: ProofRequest[] }>('GET', `${base}/${namespace}/proofrequests`)).items;
}

/** Reads a PxlCore. */
export async function getCore(client: KubeClient, namespace: string, name: string): Promise<PxlCore> {
  return client.request<PxlCore>('GET', `${base}/${namespace}/pxlcores/${name}`);
}

/** Waits until the core reports at least `ready` ready provers. */
export async function waitForReadyCore(client: KubeClient, namespace: string, name: string, ready: number, timeoutMs = 180_000): Promise<PxlCore> {
  return waitFor(`PxlCore ${name} with ${ready} ready provers`, async () => {
    const core = await getCore(client, namespace, name);
    return (core.status?.readyReplicas ?? 0) >= ready ? core : undefined;
  }, timeoutMs);
}

/** Waits until the request has a final phase for its current generation. */
export async function waitForVerdict(client: KubeClient, namespace: string, name: string, timeoutMs = 120_000): Promise<ProofRequest> {
  return waitFor(`a verdict for ProofRequest ${name}`, async () => {
    const request = await getRequest(client, namespace, name);
    const decided = request.status?.observedGeneration === request.metadata.generation && finalPhases.has(request.status?.phase ?? '');
    return decided ? request : undefined;
  }, timeoutMs);
}
