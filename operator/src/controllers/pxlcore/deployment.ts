// The prover Deployment: restricted Pod Security Standard, read-only root, probes, token and kernel mounts.
import type {
  V1Deployment,
  V1ResourceRequirements,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { Plain } from '../shared/plain.js';
import { auditLogPath, childNames, kernelHashAnnotation, mountPaths, proverPort, selectorLabels } from './names.js';
import { buildChildMeta, type CoreIdentity } from './owner.js';

/** Requests and limits by resource name. */
export interface ResourceSettings {
  readonly requests?: Readonly<Record<string, number | string>>;
  readonly limits?: Readonly<Record<string, number | string>>;
}

/** A seccomp or AppArmor profile. */
export interface ProfileSettings {
  readonly type: string;
  readonly localhostProfile?: string;
}

/** What the Deployment needs beyond the core's identity, already resolved from the spec and flags. */
export interface ProverPodSettings {
  readonly image: string;
  readonly replicas: number;
  readonly backend: string;
  readonly sessions: number;
  /** The Secret holding the bearer token under key `token`. */
  readonly tokenSecretName: string;
  /** A user ConfigMap of .v files mounted as the kernel; absent → the built-in kernel. */
  readonly kernelConfigMap?: string;
  /** The hash of the ConfigMap kernel, annotated on the template so a kernel edit rolls the Pods. */
  readonly kernelHash?: string;
  readonly expectedHash?: string;
  readonly resources?: ResourceSettings;
  readonly seccompProfile?: ProfileSettings;
  readonly appArmorProfile?: ProfileSettings;
  // Scheduling fields pass through as the user wrote them; the API server validates them.
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Readonly<Record<string, unknown>>[];
  readonly affinity?: Readonly<Record<string, unknown>>;
  readonly topologySpreadConstraints?: readonly Readonly<Record<string, unknown>>[];
  readonly priorityClassName?: string;
}

/** Requests and limits when the spec sets neither. */
export const defaultResources: ResourceSettings = {
  requests: { cpu: '2', memory: '4Gi' },
  limits: { cpu: '4', memory: '8Gi' },
};

/** The resources to run with: the spec's when it sets requests or limits, the defaults otherwise. */
export function resolveResources(resources: ResourceSettings | undefined): ResourceSettings {
  if (resources === undefined || (resources.requests === undefined && resources.limits === undefined)) return defaultResources;
  return resources;
}

function toResourceRequirements(resources: ResourceSettings): Plain<V1ResourceRequirements> {
  const requests = toQuantities(resources.requests);
  const limits = toQuantities(resources.limits);
  return { ...(requests === undefined ? {} : { requests }), ...(limits === undefined ? {} : { limits }) };
}

/** The prover command line; `$(POD_IP)` is expanded by the kubelet from the env var. */
export function buildProverArgs(settings: ProverPodSettings): string[] {
  return [
    '--listen', `$(POD_IP):${proverPort}`,
    '--sessions', String(settings.sessions),
    '--backend', settings.backend,
    '--token-file', `${mountPaths.token}/token`,
    '--audit-log', auditLogPath,
    ...(settings.expectedHash === undefined ? [] : ['--expected-hash', settings.expectedHash]),
    ...(settings.kernelConfigMap === undefined ? [] : ['--kernel-dir', mountPaths.kernel]),
  ];
}

function buildVolumes(settings: ProverPodSettings): { volumes: Plain<V1Volume>[]; mounts: Plain<V1VolumeMount>[] } {
  const volumes: Plain<V1Volume>[] = [
    { name: 'token', secret: { secretName: settings.tokenSecretName, items: [{ key: 'token', path: 'token' }], defaultMode: 0o440 } },
    { name: 'tmp', emptyDir: {} },
    { name: 'log', emptyDir: { sizeLimit: '1Gi' } },
  ];
  const mounts: Plain<V1VolumeMount>[] = [
    { name: 'token', mountPath: mountPaths.token, readOnly: true },
    { name: 'tmp', mountPath: mountPaths.tmp },
    { name: 'log', mountPath: mountPaths.log },
  ];
  if (settings.kernelConfigMap !== undefined) {
    volumes.push({ name: 'kernel', configMap: { name: settings.kernelConfigMap } });
    mounts.push({ name: 'kernel', mountPath: mountPaths.kernel, readOnly: true });
  }
  return { volumes, mounts };
}

function buildScheduling(settings: ProverPodSettings): Record<string, unknown> {
  return {
    ...(settings.nodeSelector === undefined ? {} : { nodeSelector: { ...settings.nodeSelector } }),
    ...(settings.tolerations === undefined ? {} : { tolerations: [...settings.tolerations] }),
    ...(settings.affinity === undefined ? {} : { affinity: settings.affinity }),
    ...(settings.topologySpreadConstraints === undefined ? {} : { topologySpreadConstraints: [...settings.topologySpreadConstraints] }),
    ...(settings.priorityClassName === undefined ? {} : { priorityClassName: settings.priorityClassName }),
  };
}

function toQuantities(values: Readonly<Record<string, number | string>> | undefined): Record<string, string> | undefined {
  return values === undefined ? undefined : Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
}

/** The desired Deployment of a core. */
export function buildDeployment(core: CoreIdentity, settings: ProverPodSettings): Plain<V1Deployment> {
  const labels = selectorLabels(core.name);
  const { volumes, mounts } = buildVolumes(settings);
  const annotations = settings.kernelHash === undefined ? undefined : { [kernelHashAnnotation]: settings.kernelHash };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: buildChildMeta(core, childNames(core.name).deployment),
    spec: {
      replicas: settings.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, 'app.kubernetes.io/component': 'prover' }, ...(annotations === undefined ? {} : { annotations }) },
        spec: {
          serviceAccountName: childNames(core.name).serviceAccount,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: settings.seccompProfile ?? { type: 'RuntimeDefault' },
            appArmorProfile: settings.appArmorProfile ?? { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'prover',
              image: settings.image,
              imagePullPolicy: 'IfNotPresent',
              args: buildProverArgs(settings),
              ports: [{ name: 'http', containerPort: proverPort, protocol: 'TCP' }],
              env: [
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              resources: toResourceRequirements(resolveResources(settings.resources)),
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              livenessProbe: { httpGet: { path: '/health', port: proverPort }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/ready', port: proverPort }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
              volumeMounts: mounts,
            },
          ],
          volumes,
          ...buildScheduling(settings),
        },
      },
    },
  };
}
