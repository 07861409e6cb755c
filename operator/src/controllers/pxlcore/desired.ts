// Assembles a core's desired children from its spec, the operator's settings and what was gathered.
import type { PxlCore } from '../../../../crds/index.js';
import { buildDeployment, type ProverPodSettings } from './deployment.js';
import { childNames } from './names.js';
import { buildNetworkPolicy, type OperatorIdentity } from './network-policy.js';
import type { CoreIdentity } from './owner.js';
import { buildPodDisruptionBudget } from './pod-disruption-budget.js';
import { buildService } from './service.js';
import { buildServiceAccount } from './service-account.js';
import { buildTokenSecret } from './token-secret.js';

/** What the reconcile gathered before building: the token to keep and the kernel's hash. */
export interface Gathered {
  /** The generated token (existing or new); undefined when the user brings a Secret. */
  readonly generatedToken: string | undefined;
  /** The hash of a ConfigMap kernel. */
  readonly configMapKernelHash: string | undefined;
}

/** One child manifest as plain JSON, ready for server-side apply. */
export interface ChildManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string };
}

/** The identity of a core, from its metadata. */
export function identifyCore(core: PxlCore): CoreIdentity {
  return { name: core.metadata.name ?? '', namespace: core.metadata.namespace ?? '', uid: core.metadata.uid ?? '' };
}

/** The Deployment settings of a core. */
export function resolvePodSettings(core: PxlCore, defaultImage: string, replicas: number, gathered: Gathered): ProverPodSettings {
  const spec = core.spec ?? {};
  const name = core.metadata.name ?? '';
  const configMap = spec.kernel?.configMapRef?.name;
  const optional = {
    ...(configMap === undefined ? {} : { kernelConfigMap: configMap }),
    ...(gathered.configMapKernelHash === undefined ? {} : { kernelHash: gathered.configMapKernelHash }),
    ...(spec.kernel?.expectedHash === undefined ? {} : { expectedHash: spec.kernel.expectedHash }),
    ...(spec.resources === undefined ? {} : { resources: spec.resources }),
    ...(spec.security?.seccompProfile === undefined ? {} : { seccompProfile: spec.security.seccompProfile }),
    ...(spec.security?.appArmorProfile === undefined ? {} : { appArmorProfile: spec.security.appArmorProfile }),
    ...(spec.nodeSelector === undefined ? {} : { nodeSelector: spec.nodeSelector }),
    ...(spec.tolerations === undefined ? {} : { tolerations: spec.tolerations }),
    ...(spec.affinity === undefined ? {} : { affinity: spec.affinity }),
    ...(spec.topologySpreadConstraints === undefined ? {} : { topologySpreadConstraints: spec.topologySpreadConstraints }),
    ...(spec.priorityClassName === undefined ? {} : { priorityClassName: spec.priorityClassName }),
  };
  return {
    image: spec.image ?? defaultImage,
    replicas,
    backend: spec.backend ?? 'auto',
    sessions: spec.sessionsPerReplica ?? 2,
    tokenSecretName: spec.auth?.secretRef?.name ?? childNames(name).tokenSecret,
    ...optional,
  };
}

/** True when the core wants its NetworkPolicy (the default). */
export function wantsNetworkPolicy(core: PxlCore): boolean {
  return core.spec?.security?.networkPolicy?.enabled !== false;
}

/** Every child to apply, in dependency order (identity and token before the Pods that use them). */
export function buildChildren(core: PxlCore, operator: OperatorIdentity, settings: ProverPodSettings, gathered: Gathered): ChildManifest[] {
  const identity = identifyCore(core);
  const children: ChildManifest[] = [buildServiceAccount(identity) as ChildManifest];
  if (gathered.generatedToken !== undefined) children.push(buildTokenSecret(identity, gathered.generatedToken) as ChildManifest);
  children.push(buildService(identity) as ChildManifest, buildPodDisruptionBudget(identity) as ChildManifest);
  if (wantsNetworkPolicy(core)) {
    children.push(buildNetworkPolicy(identity, operator, core.spec?.security?.networkPolicy?.metricsFrom ?? []));
  }
  children.push(buildDeployment(identity, settings) as ChildManifest);
  return children;
}
