import type { Logger } from 'pino';
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { computeBackoffMs } from './backoff.js';
import { summarizeError } from './kube-errors.js';

/** What a list-then-watch loop reports. */
export interface ListWatchHandlers<T extends KubernetesObject> {
  /** A full list: everything that exists now (objects missing from it are gone). */
  onList(items: T[]): void;
  /** An object was added or changed. */
  onUpsert(item: T): void;
  /** An object was deleted. */
  onDelete(item: T): void;
}

/** The list call and the watch path with its query. */
export interface ListWatchSource<T extends KubernetesObject> {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  list(): Promise<{ items: T[]; resourceVersion: string }>;
}

/** The API server ends each watch after this long; a fresh one continues from the last version seen. */
const watchTimeoutSeconds = 240;
/** No event, not even a bookmark, for this long means the connection is dead although no error arrived. */
const idleLimitMs = (watchTimeoutSeconds + 60) * 1000;

interface WatchEvent {
  readonly type: string;
  readonly object: KubernetesObject & { code?: number };
}

/**
 * List, then watch from the list's resourceVersion, forever: a watch that ends is resumed, one that
 * errors is resumed after back-off, and an expired version (410) starts over with a fresh list.
 */
export class ListWatch<T extends KubernetesObject> {
  private resourceVersion: string | undefined;
  private failures = 0;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly source: ListWatchSource<T>,
    private readonly handlers: ListWatchHandlers<T>,
    private readonly log: Logger,
  ) {}

  /** Lists once (resolving when the first list is delivered or has failed), then keeps watching. */
  async start(): Promise<void> {
    await this.cycle();
  }

  /** Stops watching. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  private async cycle(): Promise<void> {
    if (this.stopped) {
      return;
    }
    try {
      if (this.resourceVersion === undefined) {
        const list = await this.source.list();
        this.resourceVersion = list.resourceVersion;
        this.handlers.onList(list.items);
      }
      await this.watch(this.resourceVersion);
    } catch (error) {
      this.retryAfterFailure(error);
    }
  }

  private retryAfterFailure(error: unknown): void {
    // After a failure the version may be gone (410); a fresh list is cheap at this scale and always safe.
    this.resourceVersion = undefined;
    this.failures += 1;
    const delayMs = computeBackoffMs(this.failures);
    this.log.warn({ path: this.source.path, err: summarizeError(error), delayMs }, 'list or watch failed; retrying');
    this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.cycle(), delayMs);
  }

  private async watch(fromVersion: string): Promise<void> {
    let idle: NodeJS.Timeout | undefined;
    const touch = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => this.abort?.abort(), idleLimitMs);
    };
    const query = { ...this.source.query, resourceVersion: fromVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(watchTimeoutSeconds) };
    touch();
    this.abort = await new Watch(this.kubeConfig).watch(this.source.path, query, (type: string, object: WatchEvent['object']) => {
      touch();
      this.handleEvent({ type, object });
    }, (error: unknown) => {
      clearTimeout(idle);
      if (this.stopped) {
        return;
      }
      if (error !== null && error !== undefined && !(error instanceof Error && error.name === 'AbortError')) {
        this.retryAfterFailure(error);
        return;
      }
      this.schedule(0);
    });
  }

  private handleEvent(event: WatchEvent): void {
    const version = event.object.metadata?.resourceVersion;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.failures = 0;
        this.handlers.onUpsert(event.object as T);
        break;
      case 'DELETED':
        this.handlers.onDelete(event.object as T);
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR':
        // 410 Gone: the version is too old to resume from, so list again.
        this.log.info({ path: this.source.path, code: event.object.code }, 'watch expired; relisting');
        this.resourceVersion = undefined;
        this.abort?.abort();
        return;
      default:
        return;
    }
    if (version !== undefined) {
      this.resourceVersion = version;
    }
  }
}
