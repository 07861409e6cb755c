// The bearer token of each core, from the operator's Secret cache or, for a user's Secret, a short-lived read.
import type { V1Secret } from '@kubernetes/client-node';
import type { Informer, KubeClient } from '../../runtime/index.js';
import { TransientError } from '../../runtime/index.js';

/** How long a token read from a user's Secret is reused before it is read again. */
const userTokenTtlMs = 30_000;

/** Resolves the token a core's provers expect. */
export class TokenSource {
  private readonly client: KubeClient;
  private readonly secrets: Informer<V1Secret>;
  private readonly cache = new Map<string, { token: string; at: number }>();

  constructor(client: KubeClient, secrets: Informer<V1Secret>) {
    this.client = client;
    this.secrets = secrets;
  }

  /** The token in Secret `namespace/name` (key `token`); a TransientError when it is missing, so dispatch retries. */
  async get(namespace: string, name: string): Promise<string> {
    const key = `${namespace}/${name}`;
    const fromCache = this.secrets.get(key)?.data?.token;
    if (fromCache !== undefined) return Buffer.from(fromCache, 'base64').toString('utf8');
    const remembered = this.cache.get(key);
    if (remembered !== undefined && Date.now() - remembered.at < userTokenTtlMs) return remembered.token;
    const secret = await this.client.getOrUndefined<{ data?: Record<string, string> }>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`);
    const encoded = secret?.data?.token;
    if (encoded === undefined) throw new TransientError(`Secret ${key} with key "token" was not found`);
    const token = Buffer.from(encoded, 'base64').toString('utf8');
    this.cache.set(key, { token, at: Date.now() });
    return token;
  }

  /** Drops a remembered token after a prover refused it (the Secret was rotated). */
  invalidate(namespace: string, name: string): void {
    this.cache.delete(`${namespace}/${name}`);
  }
}
