// client-node's Watch with a server-side timeout, bookmarks, activity tracking and a way to break it.
import { type KubeConfig, Watch } from '@kubernetes/client-node';

type WatchCallback = (phase: string, apiObj: unknown, watchObj?: unknown) => void;
type DoneCallback = (err: unknown) => void;

/** The error a broken watch reports to ListWatch: a 410 makes it relist instead of resuming. */
export class WatchBrokenError extends Error {
  override readonly name = 'WatchBrokenError';
  /** 410 Gone: ListWatch then drops its resourceVersion and relists. */
  readonly statusCode = 410;
}

/** Hooks a ResilientWatch calls. */
export interface ResilientWatchHooks {
  /** Called when a watch request starts (after a successful list) and on every event, bookmarks included. */
  readonly onActivity: (kind: 'started' | 'event') => void;
  /** Rewrites each event's object in place before ListWatch caches it (e.g. drops managedFields). */
  readonly transform?: (object: unknown) => void;
}

/**
 * A Watch for ListWatch that asks the server to end each watch after `timeoutSeconds` (so a silent but
 * healthy watch still shows activity), requests bookmarks, and can be broken from outside; callbacks of a
 * broken or superseded watch are dropped so two watches never feed one cache.
 */
export class ResilientWatch extends Watch {
  private readonly timeoutSeconds: number;
  private readonly hooks: ResilientWatchHooks;
  private generation = 0;
  private currentDone: DoneCallback | undefined;
  private currentAbort: AbortController | undefined;

  constructor(kubeConfig: KubeConfig, options: { timeoutSeconds: number; hooks: ResilientWatchHooks }) {
    super(kubeConfig);
    this.timeoutSeconds = options.timeoutSeconds;
    this.hooks = options.hooks;
  }

  /** Starts one watch request; see Watch.watch. */
  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: DoneCallback,
  ): Promise<AbortController> {
    this.generation += 1;
    const generation = this.generation;
    let finished = false;
    const finishOnce: DoneCallback = (err) => {
      if (finished || generation !== this.generation) return;
      finished = true;
      done(err);
    };
    this.currentDone = finishOnce;
    this.hooks.onActivity('started');
    const params = { ...queryParams, timeoutSeconds: this.timeoutSeconds, allowWatchBookmarks: true };
    const onEvent: WatchCallback = (phase, apiObj, watchObj) => {
      if (finished || generation !== this.generation) return;
      this.hooks.onActivity('event');
      this.hooks.transform?.(apiObj);
      callback(phase, apiObj, watchObj);
    };
    const abort = await super.watch(path, params, onEvent, finishOnce);
    if (generation === this.generation) this.currentAbort = abort;
    else abort.abort();
    return abort;
  }

  /** Abandons the current watch and tells ListWatch it ended with `err` (a WatchBrokenError forces a relist). */
  breakCurrent(err: unknown): void {
    const done = this.currentDone;
    const abort = this.currentAbort;
    this.currentDone = undefined;
    this.currentAbort = undefined;
    // Report first: aborting makes the stream fail synchronously, and that AbortError must not win.
    done?.(err);
    abort?.abort();
  }

  /** Drops whatever the current watch still delivers (used when the informer stops). */
  abandon(): void {
    this.generation += 1;
    this.currentAbort?.abort();
    this.currentDone = undefined;
    this.currentAbort = undefined;
  }
}
