// Admission control: at most one check per session, a bounded wait queue, and "busy" beyond it.

/** Thrown when every slot is taken and the wait queue is full; the service answers 503 with Retry-After. */
export class BusyError extends Error {
  override readonly name = 'BusyError';
}

interface Waiter {
  readonly admit: () => void;
}

/** Runs work with at most `slots` in flight and at most `queueLimit` waiting. */
export class AdmissionGate {
  #active = 0;
  readonly #waiting: Waiter[] = [];

  /** Creates a gate with `slots` concurrent runs and a wait queue of `queueLimit`. */
  constructor(
    readonly slots: number,
    readonly queueLimit: number,
  ) {}

  /** Runs `work` once a slot is free; throws BusyError at once when the queue is full. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  /** Checks in flight. */
  get active(): number {
    return this.#active;
  }

  /** Checks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  async #acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#active < this.slots) {
      this.#active += 1;
      return;
    }
    if (this.#waiting.length >= this.queueLimit) {
      throw new BusyError(`all ${this.slots} sessions are busy and ${this.#waiting.length} requests are waiting`);
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(waiter);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted while waiting for a session'));
      };
      const waiter: Waiter = {
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #release(): void {
    const next = this.#waiting.shift();
    // The slot passes straight to the next waiter, so #active does not change.
    if (next === undefined) this.#active -= 1;
    else next.admit();
  }
}
