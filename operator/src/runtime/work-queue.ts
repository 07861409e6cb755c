// A rate-limited work queue of object keys with client-go's guarantees, without sleeping anywhere.
import { type BackoffOptions, computeBackoffMs, defaultQueueBackoff } from './backoff.js';

/**
 * A queue of keys: a key waits at most once (de-duplication), is handed to at most one worker at a time
 * (a key re-added while in process is handed out again after `done`), and failed keys come back after a
 * per-key exponential back-off until `forget` resets it.
 */
export class WorkQueue {
  private readonly backoff: BackoffOptions;
  private readonly order: string[] = [];
  private head = 0;
  /** Keys that need processing: waiting in `order`, or re-added while in process. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { due: number; timer: NodeJS.Timeout }>();
  private readonly getters: ((key: string | undefined) => void)[] = [];
  private readonly drainers: (() => void)[] = [];
  private shuttingDown = false;

  constructor(options: { backoff?: BackoffOptions } = {}) {
    this.backoff = options.backoff ?? defaultQueueBackoff;
  }

  /** Marks a key as needing work; a no-op when it already waits or the queue is shutting down. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Adds a key after a delay; a pending earlier delay for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const due = Date.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending !== undefined) {
      if (pending.due <= due) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    // A pending retry must not keep a finished process alive.
    timer.unref();
    this.delayed.set(key, { due, timer });
  }

  /** Adds a key after its back-off and counts one more failure for it; returns the delay used. */
  addRateLimited(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const delayMs = computeBackoffMs(failures, this.backoff);
    this.addAfter(key, delayMs);
    return delayMs;
  }

  /** Resets the back-off of a key, after it was processed successfully or dropped for good. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** How many times the key has failed since it was last forgotten. */
  countFailures(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Waits for the next key to work on; undefined once the queue is shutting down. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Takes the next waiting key without waiting; undefined when none waits or the queue is shutting down. */
  tryGet(): string | undefined {
    if (this.shuttingDown) return undefined;
    const key = this.shift();
    return key === undefined ? undefined : this.take(key);
  }

  /** Ends work on a key handed out by `get`; a key re-added meanwhile waits again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
    if (this.processing.size === 0) for (const drained of this.drainers.splice(0)) drained();
  }

  /** Number of keys waiting (not in process, not delayed). */
  countWaiting(): number {
    return this.order.length - this.head;
  }

  /** Number of keys handed out and not yet done. */
  countProcessing(): number {
    return this.processing.size;
  }

  /** Number of keys waiting for a delay (addAfter or back-off). */
  countDelayed(): number {
    return this.delayed.size;
  }

  /** True once shutDown was called. */
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Stops handing out keys (waiting and delayed keys are dropped: a restarted controller relists) and
   * resolves once every key in process is done.
   */
  shutDown(): Promise<void> {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.order.length = 0;
    this.head = 0;
    this.dirty.clear();
    for (const getter of this.getters.splice(0)) getter(undefined);
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  private push(key: string): void {
    const getter = this.getters.shift();
    if (getter !== undefined) getter(this.take(key));
    else this.order.push(key);
  }

  private shift(): string | undefined {
    if (this.head >= this.order.length) return undefined;
    const key = this.order[this.head];
    this.head += 1;
    // Compact now and then so a long-lived queue does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
    return key;
  }

  private take(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
