// Names and labels of the children of a PxlCore, shared by the builders, the status and the ProofRequest dispatch.

/** The field manager of every server-side apply the operator makes. */
export const fieldManager = 'pxl-operator';

/** The port every prover Pod serves on. */
export const proverPort = 8088;

/** Where the bearer token, the kernel and the writable directories are mounted in a prover Pod. */
export const mountPaths = {
  token: '/var/run/pxl/auth',
  kernel: '/etc/pxl/kernel',
  tmp: '/tmp',
  log: '/var/log',
} as const;

/** The prover's audit log in the writable /var/log emptyDir; the prover creates the `pxl` folder itself. */
export const auditLogPath = '/var/log/pxl/audit.jsonl';

/** The pod-template annotation that rolls the Pods when the kernel sources change. */
export const kernelHashAnnotation = 'pxl.logos.dev/kernel-hash';

/** The labels that select one core's prover Pods; also the status selector for the scale subresource. */
export function selectorLabels(coreName: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'pxl-prover', 'app.kubernetes.io/instance': coreName };
}

/** Every label the operator puts on a core's children. */
export function childLabels(coreName: string): Record<string, string> {
  return {
    ...selectorLabels(coreName),
    'app.kubernetes.io/component': 'prover',
    'app.kubernetes.io/part-of': 'pxl-core',
    'app.kubernetes.io/managed-by': 'pxl-operator',
  };
}

/** The label selector string (sorted, comma separated) of a core's Pods. */
export function formatSelector(coreName: string): string {
  return Object.entries(selectorLabels(coreName))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The names of a core's children. */
export function childNames(coreName: string): {
  deployment: string;
  service: string;
  serviceAccount: string;
  tokenSecret: string;
  networkPolicy: string;
  podDisruptionBudget: string;
} {
  return {
    deployment: coreName,
    service: coreName,
    serviceAccount: `${coreName}-prover`,
    tokenSecret: `${coreName}-token`,
    networkPolicy: coreName,
    podDisruptionBudget: coreName,
  };
}

/** The labels of the EndpointSlices of a core's Service (set by the EndpointSlice controller). */
export function serviceSliceLabels(coreName: string): Record<string, string> {
  return { 'kubernetes.io/service-name': childNames(coreName).service };
}
