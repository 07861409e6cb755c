// Raw JSON requests to the API server with the credentials of a KubeConfig, over one keep-alive agent.
// Raw JSON (rather than client-node's typed APIs) keeps list, watch and apply results in the same shape.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeConnectionError } from './errors.js';

/** Options of one request. */
export interface KubeRequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Content type of the body; JSON unless a patch type is given. */
  readonly contentType?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The shape every Kubernetes list answer has. */
export interface KubeList<T> {
  readonly apiVersion?: string;
  /** e.g. ConfigMapList. */
  readonly kind?: string;
  readonly metadata?: { resourceVersion?: string; continue?: string };
  readonly items: T[];
}

const defaultTimeoutMs = 30_000;

/** A minimal API server client: JSON in, JSON out, typed errors, credentials from a KubeConfig. */
export class KubeClient {
  /** The KubeConfig the client authenticates with (also used by watches). */
  readonly kubeConfig: KubeConfig;
  private readonly server: URL;
  private agent: http.Agent | undefined;
  private credentials: { readonly at: number; readonly options: https.RequestOptions } | undefined;

  constructor(kubeConfig: KubeConfig) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error('the kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    this.server = new URL(cluster.server);
  }

  /** Sends one request and decodes the JSON answer; HTTP errors become KubeApiError, network faults KubeConnectionError. */
  async request<T>(method: string, path: string, options: KubeRequestOptions = {}): Promise<T> {
    const url = new URL(this.server.pathname.replace(/\/$/, '') + path, this.server);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const requestOptions = await this.resolveCredentials();
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
    }
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
      // Without an explicit length Node sends a DELETE body chunked; the API server then ignores the body
      // and reads it as the next request on the keep-alive connection.
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const transport = url.protocol === 'https:' ? https : http;
    const agent = this.reuseAgent(requestOptions);
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(
        url,
        { method, headers, agent, auth: requestOptions.auth, timeout: options.timeoutMs ?? defaultTimeoutMs, signal: options.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (err) => {
            reject(new KubeConnectionError(`${method} ${path}: response failed`, { cause: err }));
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let body: unknown = undefined;
            try {
              body = text === '' ? undefined : JSON.parse(text);
            } catch {
              body = text;
            }
            if (status >= 200 && status < 300) resolve(body as T);
            else reject(toApiError(method, path, status, body));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', (err) => {
        reject(new KubeConnectionError(`${method} ${path}: ${err.message}`, { cause: err }));
      });
      req.end(payload);
    });
  }

  /** GETs an object; undefined when it does not exist. */
  async getOrUndefined<T>(path: string, options: Pick<KubeRequestOptions, 'timeoutMs' | 'signal'> = {}): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', path, options);
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Lists a collection in one request (the informer's list). */
  list<T>(path: string, query: KubeRequestOptions['query'] = {}): Promise<KubeList<T>> {
    return this.request<KubeList<T>>('GET', path, { query, timeoutMs: 120_000 });
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async resolveCredentials(): Promise<https.RequestOptions> {
    // client-node reads certificate files and runs auth plugins on every call; a short cache keeps
    // that off the hot path while still picking up rotated tokens within a minute.
    const now = Date.now();
    if (this.credentials !== undefined && now - this.credentials.at < 60_000) return this.credentials.options;
    const options: https.RequestOptions = { headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(options);
    this.credentials = { at: now, options };
    return options;
  }

  private reuseAgent(options: https.RequestOptions): http.Agent {
    if (this.agent !== undefined) return this.agent;
    // client-node builds a new agent per call; one keep-alive agent with the same TLS material saves a
    // handshake per request. Rotated client certificates therefore need a restart.
    this.agent =
      this.server.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            maxSockets: 32,
            ...pick(options, ['ca', 'cert', 'key', 'pfx', 'passphrase', 'servername']),
            ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }),
            ...(tlsSkipVerify(this.kubeConfig) ? { rejectUnauthorized: false } : {}),
          })
        : new http.Agent({ keepAlive: true, maxSockets: 32 });
    return this.agent;
  }
}

function tlsSkipVerify(kubeConfig: KubeConfig): boolean {
  return kubeConfig.getCurrentCluster()?.skipTLSVerify === true;
}

function pick(options: https.RequestOptions, keys: readonly (keyof https.RequestOptions)[]): https.AgentOptions {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (options[key] !== undefined) out[key] = options[key];
  return out;
}

function toApiError(method: string, path: string, statusCode: number, body: unknown): KubeApiError {
  const status = typeof body === 'object' && body !== null ? (body as { message?: unknown; reason?: unknown }) : {};
  const message = typeof status.message === 'string' ? status.message : `HTTP ${statusCode}`;
  const reason = typeof status.reason === 'string' ? status.reason : 'Unknown';
  return new KubeApiError(`${method} ${path}: ${message}`, { statusCode, reason, body });
}
