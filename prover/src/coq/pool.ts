// N warm sessions: handed out one check at a time, replaced when they crash, time out or grow old.
import { readRssKiB } from './process.js';
import { SessionError, type ProtocolSession } from './session.js';

/** Why a session was replaced (the `reason` label of pxl_prover_session_restarts_total). */
export type RestartReason = 'timeout' | 'crash' | 'recycle' | 'cancelled';

/** Options for a session pool. */
export interface PoolOptions {
  readonly size: number;
  readonly start: () => Promise<ProtocolSession>;
  /** Replace a session after this many checks. */
  readonly recycleAfterChecks: number;
  /** Replace a session whose resident memory exceeds this many KiB. */
  readonly maxRssKiB: number;
  readonly onRestart?: (reason: RestartReason) => void;
  readonly onStartError?: (error: unknown) => void;
}

interface Slot {
  session: ProtocolSession | undefined;
  state: 'idle' | 'busy' | 'starting' | 'closed';
  checks: number;
  failures: number;
}

/** A pool of warm sessions; callers must limit themselves to `size` concurrent leases (the engine's gate does). */
export class SessionPool {
  private readonly slots: Slot[];
  private readonly idleWaiters: ((slot: Slot) => void)[] = [];
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: options.size }, () => ({ session: undefined, state: 'starting' as const, checks: 0, failures: 0 }));
  }

  /** Starts every session; resolves once all first attempts have finished (some may be retrying). */
  async warm(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.startSlot(slot)));
  }

  /** Session counts by state. */
  states(): Record<'idle' | 'busy' | 'starting', number> {
    const count = (state: Slot['state']): number => this.slots.filter((s) => s.state === state).length;
    return { idle: count('idle'), busy: count('busy'), starting: count('starting') };
  }

  /** Waits up to `timeoutMs` for an idle session and marks it busy; throws SessionError when none comes. */
  async acquire(timeoutMs: number): Promise<{ readonly session: ProtocolSession; readonly slot: object }> {
    const idle = this.slots.find((s) => s.state === 'idle');
    const slot = idle ?? (await this.waitForIdle(timeoutMs));
    slot.state = 'busy';
    if (slot.session === undefined) throw new Error('an idle slot has no session');
    return { session: slot.session, slot };
  }

  /** Returns a session; `replace` (timeout, crash, cancel) kills it and starts a fresh one. */
  async release(lease: { readonly slot: object }, replace?: RestartReason): Promise<void> {
    const slot = lease.slot as Slot;
    slot.checks += 1;
    let reason = replace;
    if (reason === undefined && slot.checks >= this.options.recycleAfterChecks) reason = 'recycle';
    if (reason === undefined && slot.session?.pid !== undefined) {
      const rss = await readRssKiB(slot.session.pid);
      if (rss !== undefined && rss > this.options.maxRssKiB) reason = 'recycle';
    }
    if (reason === undefined) {
      this.markIdle(slot);
      return;
    }
    this.options.onRestart?.(reason);
    slot.session?.kill();
    slot.session = undefined;
    slot.state = 'starting';
    void this.startSlot(slot);
  }

  /** Kills every session. */
  async close(): Promise<void> {
    this.closed = true;
    const exits: Promise<void>[] = [];
    for (const slot of this.slots) {
      slot.state = 'closed';
      if (slot.session === undefined) continue;
      slot.session.kill();
      exits.push(slot.session.exited);
    }
    await Promise.all(exits);
  }

  private isClosed(): boolean {
    return this.closed;
  }

  private waitForIdle(timeoutMs: number): Promise<Slot> {
    return new Promise<Slot>((resolve, reject) => {
      const waiter = (slot: Slot): void => {
        clearTimeout(timer);
        resolve(slot);
      };
      const timer = setTimeout(() => {
        const index = this.idleWaiters.indexOf(waiter);
        if (index >= 0) this.idleWaiters.splice(index, 1);
        reject(new SessionError('no warm Coq session became available in time'));
      }, timeoutMs);
      this.idleWaiters.push(waiter);
    });
  }

  private markIdle(slot: Slot): void {
    const waiter = this.idleWaiters.shift();
    if (waiter !== undefined) {
      slot.state = 'busy';
      waiter(slot);
      return;
    }
    slot.state = 'idle';
  }

  private async startSlot(slot: Slot): Promise<void> {
    if (this.closed) return;
    try {
      const session = await this.options.start();
      // close() may have run while the session was starting.
      if (this.isClosed()) {
        session.kill();
        return;
      }
      slot.session = session;
      slot.checks = 0;
      slot.failures = 0;
      // A session that dies while idle (killed from outside, out of memory) is replaced at once.
      void session.exited.then(() => {
        if (slot.session === session && slot.state === 'idle') {
          this.options.onRestart?.('crash');
          slot.session = undefined;
          slot.state = 'starting';
          void this.startSlot(slot);
        }
      });
      this.markIdle(slot);
    } catch (error) {
      this.options.onStartError?.(error);
      slot.failures += 1;
      // Back off from 0.5 s up to 30 s so a broken Coq installation does not become a hot loop.
      const delay = Math.min(30_000, 500 * 2 ** Math.min(slot.failures, 6));
      setTimeout(() => void this.startSlot(slot), delay).unref();
    }
  }
}
