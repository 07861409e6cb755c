// Maps apiVersion + kind to REST paths through API discovery, cached per group version.
import { KubeApiError } from './errors.js';
import type { KubeClient } from './kube-client.js';

/** What discovery says about one kind. */
export interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
}

interface DiscoveryList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/** Resolves REST paths of objects by asking the API server which resource serves a kind. */
export class ResourcePaths {
  private readonly client: KubeClient;
  private readonly cache = new Map<string, Map<string, ResourceInfo>>();

  constructor(client: KubeClient) {
    this.client = client;
  }

  /** The plural and scope of a kind; rediscovers once when the kind is unknown (e.g. a CRD installed later). */
  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const cached = this.cache.get(apiVersion)?.get(kind);
    if (cached !== undefined) return cached;
    const fresh = await this.discover(apiVersion);
    const info = fresh.get(kind);
    if (info === undefined) {
      throw new KubeApiError(`kind ${kind} is not served by ${apiVersion}`, { statusCode: 404, reason: 'NotFound', body: undefined });
    }
    return info;
  }

  /** The path of a collection, or of one object when a name is given. */
  async pathOf(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const info = await this.lookup(apiVersion, kind);
    return buildPath(apiVersion, info, namespace, name);
  }

  private async discover(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = await this.client.request<DiscoveryList>('GET', base);
    const byKind = new Map<string, ResourceInfo>();
    for (const resource of list.resources) {
      // Subresources (pods/status, …) share the kind of their parent.
      if (!resource.name.includes('/')) byKind.set(resource.kind, { plural: resource.name, namespaced: resource.namespaced });
    }
    this.cache.set(apiVersion, byKind);
    return byKind;
  }
}

/** Builds `/api[s]/<group/version>/[namespaces/<ns>/]<plural>[/<name>]`. */
export function buildPath(apiVersion: string, info: ResourceInfo, namespace?: string, name?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const scope = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const object = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${scope}/${info.plural}${object}`;
}
