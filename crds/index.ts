// The API of pxl.logos.dev: names fixed by the CRDs, and the types derived from them.
export type * from './generated/types.js';

/** The API group of every PXL resource. */
export const group = 'pxl.logos.dev';

/** The served and stored version. */
export const version = 'v1alpha1';

/** The apiVersion field of every PXL object. */
export const apiVersion = `${group}/${version}`;

/** Kind, plural and API path segment of each resource, as the CRDs declare them. */
export const resources = {
  PxlCore: { kind: 'PxlCore', plural: 'pxlcores' },
  ProofRequest: { kind: 'ProofRequest', plural: 'proofrequests' },
} as const;

/** The phases of a ProofRequest, in the order a request moves through them. */
export const proofRequestPhases = ['Pending', 'Running', 'Proved', 'Refuted', 'Failed', 'Rejected', 'Error'] as const;

/** The phases that end a generation (Succeeded is True or False); Error only after bounded retries. */
export const finalPhases = ['Proved', 'Refuted', 'Failed', 'Rejected', 'Error'] as const;

/** The URL path of a namespaced collection of a PXL resource, e.g. for list and watch. */
export function pathFor(plural: string, namespace?: string): string {
  return namespace === undefined ? `/apis/${apiVersion}/${plural}` : `/apis/${apiVersion}/namespaces/${namespace}/${plural}`;
}

/** The text of the READY printer column (status.ready), e.g. "2/3". */
export function formatReady(readyReplicas: number, replicas: number): string {
  return `${readyReplicas}/${replicas}`;
}

/** The text of the KERNEL printer column (status.kernelHashShort): the first 12 hex digits of a sha256 hash. */
export function shortenKernelHash(kernelHash: string): string {
  return kernelHash.replace(/^sha256:/, '').slice(0, 12);
}
