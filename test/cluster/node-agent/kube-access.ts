import { readFile } from 'node:fs/promises';
import {
  CoordinationV1Api, CoreV1Api, KubeConfig, PatchStrategy, VersionApi, setHeaderOptions,
  type AuthenticationV1TokenRequest, type V1ConfigMap, type V1DeleteOptions, type V1Pod, type V1PodStatus, type V1Secret,
} from '@kubernetes/client-node';
import type { ObjectReader } from './container-env.js';
import { toModel, type Plain } from './plain.js';
import { isConflict, isNotFound } from './kube-errors.js';
import type { ClusterAccess } from './pod-sandbox.js';
import type { TokenIssuer } from './volumes.js';

/** The agent's clients and what its Pods need to know about the API server. */
export interface KubeAccess {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly coordination: CoordinationV1Api;
  readonly cluster: ClusterAccess;
  readonly serverVersion: string;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

async function readCaData(kubeConfig: KubeConfig): Promise<string> {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster?.caData !== undefined) {
    return cluster.caData;
  }
  if (cluster?.caFile !== undefined) {
    return (await readFile(cluster.caFile)).toString('base64');
  }
  throw new Error('the kubeconfig names no certificate authority for its cluster');
}

/** Loads the agent's kubeconfig and asks the API server for its version (the Nodes report it as theirs). */
export async function connectKube(kubeconfigPath: string): Promise<KubeAccess> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) {
    throw new Error(`${kubeconfigPath} has no current cluster`);
  }
  const url = new URL(server);
  const cluster: ClusterAccess = {
    server, host: url.hostname, port: url.port === '' ? '443' : url.port, caData: await readCaData(kubeConfig),
  };
  const version = await kubeConfig.makeApiClient(VersionApi).getCode();
  return {
    kubeConfig, cluster, serverVersion: version.gitVersion,
    core: kubeConfig.makeApiClient(CoreV1Api), coordination: kubeConfig.makeApiClient(CoordinationV1Api),
  };
}

/** Reads Secrets and ConfigMaps, treating 404 as absent. */
export function createObjectReader(core: CoreV1Api): ObjectReader {
  async function readOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw error;
    }
  }
  return {
    readSecret: (namespace, name): Promise<V1Secret | undefined> => readOrUndefined(() => core.readNamespacedSecret({ namespace, name })),
    readConfigMap: (namespace, name): Promise<V1ConfigMap | undefined> => readOrUndefined(() => core.readNamespacedConfigMap({ namespace, name })),
  };
}

/** Issues tokens bound to the Pod through the TokenRequest API, as the kubelet does for projected volumes. */
export function createTokenIssuer(core: CoreV1Api): TokenIssuer {
  return {
    async requestToken(request) {
      const response = await core.createNamespacedServiceAccountToken({
        name: request.serviceAccount,
        namespace: request.namespace,
        body: toModel<AuthenticationV1TokenRequest>({
          spec: {
            audiences: request.audience === undefined || request.audience === '' ? [] : [request.audience],
            expirationSeconds: request.expirationSeconds,
            boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: request.podName, uid: request.podUid },
          },
        }),
      });
      return { token: response.status?.token ?? '', expiresAt: new Date(response.status?.expirationTimestamp ?? Date.now()) };
    },
  };
}

/** Writes a Pod's status with a merge patch; the uid in the patch keeps it from landing on a namesake. */
export async function writePodStatus(core: CoreV1Api, pod: V1Pod, status: Plain<V1PodStatus>): Promise<void> {
  await core.patchNamespacedPodStatus({
    name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '',
    body: { metadata: { uid: pod.metadata?.uid }, status },
  }, mergePatch);
}

/** Deletes a terminated Pod at once (grace 0, only this uid); already gone is fine. */
export async function deletePodNow(core: CoreV1Api, pod: V1Pod): Promise<void> {
  try {
    await core.deleteNamespacedPod({
      name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '', gracePeriodSeconds: 0,
      body: toModel<V1DeleteOptions>({ gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid ?? '' } }),
    });
  } catch (error) {
    if (!isNotFound(error) && !isConflict(error)) {
      throw error;
    }
  }
}
