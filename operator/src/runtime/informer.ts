// A shared informer: client-node's ListWatch kept alive through everything a watch does.
import { type KubernetesObject, ListWatch } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { type BackoffOptions, computeBackoffMs } from './backoff.js';
import type { KubeClient, KubeList } from './kube-client.js';
import { ResilientWatch, WatchBrokenError } from './resilient-watch.js';

/** What an informer watches and how patiently. */
export interface InformerOptions {
  readonly client: KubeClient;
  /** The collection path, e.g. `/apis/apps/v1/deployments` or `/api/v1/namespaces/ns/pods`. */
  readonly path: string;
  /** Only objects with these labels, as a label selector string, e.g. `app.kubernetes.io/managed-by=pxl-operator`. */
  readonly labelSelector?: string;
  readonly logger: Logger;
  /** The server ends each watch after this long (default 240 s); the informer then resumes from its resourceVersion. */
  readonly watchTimeoutSeconds?: number;
  /** With no watch activity for this long the informer relists (default watchTimeoutSeconds + 60 s). */
  readonly watchdogMs?: number;
  /** Back-off between restarts after errors (default 200 ms doubling to 30 s). */
  readonly restartBackoff?: BackoffOptions;
  /**
   * Keep metadata.managedFields in cached objects (default false: they are often half of an object's size,
   * and a server-side-apply operator never reads them).
   */
  readonly keepManagedFields?: boolean;
}

/** Filters for Informer.list. */
export interface ListFilter {
  readonly namespace?: string;
  /** Every label given must be present with this value. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A change handler: receives the key (`namespace/name`, or `name` when cluster-scoped) and the object as last seen. */
export type ChangeHandler<T> = (key: string, object: T) => void;

/** The cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function keyOf(object: KubernetesObject): string {
  const namespace = object.metadata?.namespace;
  const name = object.metadata?.name ?? '';
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

function fillTypeMeta(item: KubernetesObject, list: KubeList<unknown>): void {
  if (item.apiVersion === undefined && list.apiVersion !== undefined) item.apiVersion = list.apiVersion;
  if (item.kind === undefined && list.kind?.endsWith('List') === true) item.kind = list.kind.slice(0, -'List'.length);
}

function dropManagedFields(object: unknown): void {
  const metadata = (object as { metadata?: { managedFields?: unknown } } | null)?.metadata;
  if (metadata !== undefined) delete metadata.managedFields;
}

/** Splits a key into namespace (undefined when cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/**
 * A list-watch cache of one collection. It restarts a watch that ends or fails (with back-off), relists on
 * 410 Gone and when the watch has been silent longer than the watchdog allows, and reports every change as a
 * key, because reconcilers are level-based and never look at the event type.
 */
export class Informer<T extends KubernetesObject> {
  private readonly options: InformerOptions;
  private readonly logger: Logger;
  private readonly watch: ResilientWatch;
  private readonly listWatch: ListWatch<T>;
  private readonly handlers = new Set<ChangeHandler<T>>();
  private readonly syncWaiters: (() => void)[] = [];
  private readonly backoff: BackoffOptions;
  private readonly watchdogMs: number;
  private synced = false;
  private running = false;
  private failures = 0;
  private lastActivity = Date.now();
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting = false;
  private watchdogTimer: NodeJS.Timeout | undefined;
  private relists = 0;
  private restarts = 0;

  constructor(options: InformerOptions) {
    this.options = options;
    this.logger = options.logger.child({ informer: options.path });
    this.backoff = options.restartBackoff ?? { baseMs: 200, maxMs: 30_000 };
    const timeoutSeconds = options.watchTimeoutSeconds ?? 240;
    this.watchdogMs = options.watchdogMs ?? (timeoutSeconds + 60) * 1000;
    const transform = options.keepManagedFields === true ? undefined : dropManagedFields;
    this.watch = new ResilientWatch(options.client.kubeConfig, {
      timeoutSeconds,
      hooks: { onActivity: (kind) => { this.noteActivity(kind); }, ...(transform === undefined ? {} : { transform }) },
    });
    const list = async () => {
      const query = options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector };
      const answer = await options.client.list<T>(options.path, query);
      for (const item of answer.items) {
        // List items come without apiVersion and kind (watch events carry them); fill them in so every
        // cached object looks the same whichever way it arrived.
        fillTypeMeta(item, answer);
        transform?.(item);
      }
      this.relists += 1;
      return { apiVersion: 'v1', kind: 'List', items: answer.items, metadata: answer.metadata ?? {} };
    };
    this.listWatch = new ListWatch<T>(options.path, this.watch, list, false, options.labelSelector);
    const notify = (object: T) => {
      const key = keyOf(object);
      for (const handler of this.handlers) handler(key, object);
    };
    this.listWatch.on('add', notify);
    this.listWatch.on('update', notify);
    this.listWatch.on('delete', notify);
    this.listWatch.on('error', (err: unknown) => { this.handleError(err); });
  }

  /** Registers a change handler; returns a function that unregisters it. */
  onChange(handler: ChangeHandler<T>): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Starts listing and watching; returns at once (use waitForSync to wait for the first list). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastActivity = Date.now();
    this.watchdogTimer = setInterval(() => { this.checkWatchdog(); }, Math.max(50, Math.floor(this.watchdogMs / 4)));
    this.watchdogTimer.unref();
    this.launch();
  }

  /** Stops watching; the cache keeps its last contents. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.restartTimer);
    clearInterval(this.watchdogTimer);
    this.watch.abandon();
    await this.listWatch.stop();
  }

  /** True once the first list has filled the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has filled the cache; rejects when the signal aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(new Error(`informer ${this.options.path} did not sync`, { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** The cached object with this key (`namespace/name` or `name`). */
  get(key: string): T | undefined {
    const { namespace, name } = splitKey(key);
    return this.listWatch.get(name, namespace);
  }

  /** Cached objects, optionally only of one namespace and with the given labels. */
  list(filter: ListFilter = {}): T[] {
    const objects = this.listWatch.list(filter.namespace);
    const labels = filter.labels;
    if (labels === undefined) return [...objects];
    const wanted = Object.entries(labels);
    return objects.filter((object) => wanted.every(([label, value]) => object.metadata?.labels?.[label] === value));
  }

  /** Every key in the cache (e.g. to enqueue all objects when a controller starts). */
  keys(): string[] {
    return this.listWatch.list().map(keyOf);
  }

  /** Breaks the current watch and relists, as the watchdog does; for tests and for operators of the operator. */
  forceRelist(reason: string): void {
    this.logger.warn({ reason }, 'forcing relist');
    this.watch.breakCurrent(new WatchBrokenError(reason));
  }

  /** Ends the current watch with `err` as a failed connection would (it resumes after back-off); for fault tests. */
  interruptWatch(err: unknown): void {
    this.watch.breakCurrent(err);
  }

  /** Counters for tests and metrics: relists (including the first list) and restarts after errors. */
  stats(): { relists: number; restarts: number } {
    return { relists: this.relists, restarts: this.restarts };
  }

  private launch(): void {
    this.restarting = false;
    if (!this.running) return;
    // ListWatch.start lists (when it has no resourceVersion) and watches; errors arrive through 'error'.
    this.listWatch.start().catch((err: unknown) => { this.handleError(err); });
  }

  private noteActivity(kind: 'started' | 'event'): void {
    this.lastActivity = Date.now();
    if (kind === 'event') this.failures = 0;
    if (!this.synced && kind === 'started') {
      // ListWatch starts a watch only after its list filled the cache.
      this.synced = true;
      this.logger.info({ objects: this.listWatch.list().length }, 'informer synced');
      for (const waiter of this.syncWaiters.splice(0)) waiter();
    }
  }

  private handleError(err: unknown): void {
    if (!this.running) return;
    const delayMs = computeBackoffMs(this.failures, this.backoff);
    this.failures += 1;
    this.restarts += 1;
    this.logger.warn({ err, delayMs }, 'watch failed, restarting');
    clearTimeout(this.restartTimer);
    this.restarting = true;
    this.restartTimer = setTimeout(() => { this.launch(); }, delayMs);
    this.restartTimer.unref();
  }

  private checkWatchdog(): void {
    // While a restart is pending, the back-off (not the watchdog) decides when to try again.
    if (!this.running || this.restarting) return;
    if (Date.now() - this.lastActivity > this.watchdogMs) {
      this.lastActivity = Date.now();
      this.forceRelist('no watch activity within the watchdog period');
    }
  }
}
