// What a core's children depend on: the token to keep (or a new one) and the kernel's hash.
import type { PxlCore } from '../../../../crds/index.js';
import type { Informer, KubeClient } from '../../runtime/index.js';
import { getVersion } from '../../prover-client/prove.js';
import { resolveEndpoints } from '../proofrequest/endpoints.js';
import type { Plain } from '../shared/plain.js';
import type { V1ConfigMap, V1EndpointSlice, V1Pod, V1Secret } from '@kubernetes/client-node';
import type { Gathered } from './desired.js';
import { hashConfigMapKernel } from './kernel-hash.js';
import { childNames, selectorLabels, serviceSliceLabels } from './names.js';
import type { GatherProblem } from './status.js';
import { generateToken } from './token-secret.js';

/** The result of gathering: inputs for the builders, the kernel hash for status, and any problem. */
export interface GatherResult extends Gathered {
  readonly kernelHash: string | undefined;
  readonly problem: GatherProblem | undefined;
}

/** Reads the objects a core depends on, from caches where the operator has them and from the API otherwise. */
export class CoreGatherer {
  private readonly client: KubeClient;
  private readonly secrets: Informer<V1Secret>;
  private readonly endpointSlices: Informer<V1EndpointSlice>;
  private readonly pods: Informer<V1Pod>;

  constructor(deps: { client: KubeClient; secrets: Informer<V1Secret>; endpointSlices: Informer<V1EndpointSlice>; pods: Informer<V1Pod> }) {
    this.pods = deps.pods;
    this.client = deps.client;
    this.secrets = deps.secrets;
    this.endpointSlices = deps.endpointSlices;
  }

  /** Gathers everything for one core. */
  async gather(core: PxlCore, signal: AbortSignal): Promise<GatherResult> {
    const namespace = core.metadata.namespace ?? '';
    const name = core.metadata.name ?? '';
    const token = await this.gatherToken(core, namespace, name);
    const kernel = await this.gatherKernel(core, namespace);
    const kernelHash = kernel.hash ?? core.spec?.kernel?.expectedHash ?? core.status?.kernelHash ?? (await this.askProverForHash(namespace, name, signal));
    return { generatedToken: token.generated, configMapKernelHash: kernel.hash, kernelHash, problem: token.problem ?? kernel.problem };
  }

  private async gatherToken(core: PxlCore, namespace: string, name: string): Promise<{ generated: string | undefined; problem?: GatherProblem }> {
    const userSecret = core.spec?.auth?.secretRef?.name;
    if (userSecret !== undefined) {
      const secret = await this.client.getOrUndefined<Plain<V1Secret>>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(userSecret)}`);
      if (secret?.data?.token === undefined) {
        return { generated: undefined, problem: { reason: 'AuthSecretNotFound', message: `Secret "${userSecret}" with key "token" was not found` } };
      }
      return { generated: undefined };
    }
    const secretName = childNames(name).tokenSecret;
    // The cache may lag a Secret created a moment ago; a direct read keeps a token from ever being replaced.
    const cached = this.secrets.get(`${namespace}/${secretName}`)
      ?? (await this.client.getOrUndefined<Plain<V1Secret>>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(secretName)}`));
    const existing = cached?.data?.token;
    return { generated: existing === undefined ? generateToken() : Buffer.from(existing, 'base64').toString('utf8') };
  }

  private async gatherKernel(core: PxlCore, namespace: string): Promise<{ hash: string | undefined; problem?: GatherProblem }> {
    const configMapName = core.spec?.kernel?.configMapRef?.name;
    if (configMapName === undefined) return { hash: undefined };
    const configMap = await this.client.getOrUndefined<Plain<V1ConfigMap>>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(configMapName)}`);
    if (configMap === undefined) {
      return { hash: undefined, problem: { reason: 'KernelConfigMapNotFound', message: `ConfigMap "${configMapName}" with the kernel sources was not found` } };
    }
    return { hash: hashConfigMapKernel(configMap.data ?? {}, configMap.binaryData ?? {}) };
  }

  private async askProverForHash(namespace: string, name: string, signal: AbortSignal): Promise<string | undefined> {
    const slices = this.endpointSlices.list({ namespace, labels: serviceSliceLabels(name) });
    const endpoint = resolveEndpoints(slices, this.pods.list({ namespace, labels: selectorLabels(name) }))[0];
    if (endpoint === undefined) return undefined;
    const version = await getVersion(endpoint.url, signal);
    return typeof version?.kernelHash === 'string' ? version.kernelHash : undefined;
  }
}
