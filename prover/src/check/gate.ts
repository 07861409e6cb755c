// A bounded wait queue in front of a fixed number of slots: callers wait in order, or are turned away when it is full.

/** Raised (internally) when every slot is busy and the wait queue is full; check() turns it into verdict Error, reason Busy. */
export class EngineBusyError extends Error {
  constructor(readonly waiting: number) {
    super(`every session is busy and ${waiting} checks are already waiting`);
    this.name = 'EngineBusyError';
  }
}

/** Raised when a waiting caller gives up (its signal was aborted) or the gate closes. */
export class GateClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateClosedError';
  }
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Admits at most `capacity` holders at once and queues at most `maxWaiting` more. */
export class Gate {
  private holders = 0;
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(private readonly capacity: number, private readonly maxWaiting: number) {}

  /** How many callers wait for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** True when a new caller would be turned away. */
  isFull(): boolean {
    return this.holders >= this.capacity && this.waiters.length >= this.maxWaiting;
  }

  /** Waits for a slot; throws EngineBusyError at once when the queue is full. */
  async enter(signal?: AbortSignal): Promise<void> {
    if (this.closed) throw new GateClosedError('the engine is closed');
    if (this.holders < this.capacity) {
      this.holders += 1;
      return;
    }
    if (this.waiters.length >= this.maxWaiting) throw new EngineBusyError(this.waiters.length);
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new GateClosedError('the check was cancelled while waiting'));
      }, { once: true });
    });
  }

  /** Gives a slot back, handing it straight to the first waiter. */
  leave(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next.resolve();
    else this.holders = Math.max(0, this.holders - 1);
  }

  /** Rejects every waiter and refuses new callers. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new GateClosedError('the engine is closed'));
  }
}
