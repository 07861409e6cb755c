// Requests that wait for a free prover session, per core, oldest first, and the failures that shape their retry.

/** What the last failed attempt of a generation left behind for the next one. */
export interface RetryState {
  readonly generation: number;
  /** Pods where an attempt failed: the next attempt prefers another Pod. */
  readonly avoid: ReadonlySet<string>;
  /** No new attempt before this time (ms since epoch). */
  readonly notBefore: number;
  /** Attempts made so far, counted here too because a failed call may have had no Running write. */
  readonly attempts: number;
  /** When the generation's first attempt was dispatched. */
  readonly startTime: string;
  readonly reason: string;
  readonly message: string;
}

/** Waiting requests and retry state; owned by the ProofRequest controller, rebuilt from the cache after a restart. */
export class WaitingRoom {
  private readonly byCore = new Map<string, Set<string>>();
  private readonly retries = new Map<string, RetryState>();

  /** Queues a request key behind a core; a key already waiting keeps its place. */
  enter(coreKey: string, key: string): void {
    let keys = this.byCore.get(coreKey);
    if (keys === undefined) {
      keys = new Set();
      this.byCore.set(coreKey, keys);
    }
    keys.add(key);
  }

  /** Removes a request from every core's queue (dispatched, decided, deleted). */
  leave(key: string): void {
    for (const [coreKey, keys] of this.byCore) {
      if (keys.delete(key) && keys.size === 0) this.byCore.delete(coreKey);
    }
  }

  /** Removes and returns up to `count` of the oldest keys waiting for a core. */
  wake(coreKey: string, count: number): string[] {
    const keys = this.byCore.get(coreKey);
    if (keys === undefined) return [];
    const woken: string[] = [];
    for (const key of keys) {
      if (woken.length >= count) break;
      woken.push(key);
    }
    for (const key of woken) keys.delete(key);
    if (keys.size === 0) this.byCore.delete(coreKey);
    return woken;
  }

  /** How many requests wait for a core. */
  countWaiting(coreKey: string): number {
    return this.byCore.get(coreKey)?.size ?? 0;
  }

  /** The retry state of a request's generation, if its last attempt failed. */
  findRetry(key: string, generation: number): RetryState | undefined {
    const state = this.retries.get(key);
    return state?.generation === generation ? state : undefined;
  }

  /** Records a failed attempt. */
  recordFailure(key: string, state: RetryState): void {
    this.retries.set(key, state);
  }

  /** Forgets a request's retry state (verdict, new generation, deletion). */
  clearRetry(key: string): void {
    this.retries.delete(key);
  }
}
