// Lease-based leader election (coordination.k8s.io/v1), following client-go's leaderelection package.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isConflict, isNotFound } from './errors.js';
import type { KubeClient } from './kube-client.js';

/** Timings of the election; the defaults are client-go's 15 s / 10 s / 2 s. */
export interface LeaderElectionTimings {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/** The operator's timings: lease 15 s, renew deadline 10 s, retry every 2 s. */
export const defaultLeaderElectionTimings: LeaderElectionTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** Where the Lease lives and who is asking. */
export interface LeaderElectorOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly logger: Logger;
  /** Unique per process; default hostname + '_' + a random uuid. */
  readonly identity?: string;
  readonly timings?: LeaderElectionTimings;
}

/** What the elector tells its owner. */
export interface LeaderCallbacks {
  /** This process now leads; start the controllers. */
  readonly onStartedLeading: () => void;
  /** This process lost the lease (could not renew within the deadline, or someone else took it). */
  readonly onStoppedLeading: () => void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

/** A default identity: the host name plus a uuid, so two processes on one host never collide. */
export function createIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** Formats a Date as a metav1.MicroTime (six fractional digits). */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Campaigns for one Lease and, once leading, renews it every retry period; gives up leadership when it cannot
 * renew within the renew deadline. Expiry is judged by the local clock since the record was last seen to
 * change, so clock skew between nodes does not matter.
 */
export class LeaderElector {
  /** This process's identity in the Lease. */
  readonly identity: string;
  private readonly options: LeaderElectorOptions;
  private readonly timings: LeaderElectionTimings;
  private readonly logger: Logger;
  private readonly path: string;
  private readonly stopper = new AbortController();
  private leading = false;
  private observed: { record: string; at: number } | undefined;
  private loop: Promise<void> | undefined;

  constructor(options: LeaderElectorOptions) {
    this.options = options;
    this.identity = options.identity ?? createIdentity();
    this.timings = options.timings ?? defaultLeaderElectionTimings;
    this.logger = options.logger.child({ lease: `${options.namespace}/${options.name}`, identity: this.identity });
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(options.namespace)}/leases`;
  }

  /** True while this process holds the lease. */
  isLeader(): boolean {
    return this.leading;
  }

  /** Starts campaigning in the background; callbacks fire on every change of leadership. */
  run(callbacks: LeaderCallbacks): void {
    this.loop ??= this.campaign(callbacks).catch((err: unknown) => {
      this.logger.error({ err }, 'leader election loop failed');
      if (this.leading) {
        this.leading = false;
        callbacks.onStoppedLeading();
      }
    });
  }

  /** Stops campaigning and renewing; with `release` (the default) hands the lease back so a successor need not wait. */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    const wasLeading = this.leading;
    this.stopper.abort();
    await this.loop;
    this.leading = false;
    if (wasLeading && options.release !== false) await this.release();
  }

  private async campaign(callbacks: LeaderCallbacks): Promise<void> {
    const signal = this.stopper.signal;
    this.logger.info('campaigning for leadership');
    while (!this.isStopped() && !(await this.tryAcquireOrRenew())) await this.pause(signal);
    if (this.isStopped()) return;
    this.leading = true;
    this.logger.info('became leader');
    callbacks.onStartedLeading();
    let lastRenew = Date.now();
    while (!this.isStopped()) {
      await this.pause(signal);
      if (this.isStopped()) return;
      // No renewal attempt may outlast the renew deadline, or a standby could take over while we still act.
      const remainingMs = Math.max(1, lastRenew + this.timings.renewDeadlineMs - Date.now());
      if (await this.tryAcquireOrRenew(AbortSignal.timeout(remainingMs))) {
        lastRenew = Date.now();
      } else if (Date.now() - lastRenew >= this.timings.renewDeadlineMs) {
        this.leading = false;
        this.logger.warn({ sinceRenewMs: Date.now() - lastRenew }, 'lost leadership');
        callbacks.onStoppedLeading();
        return;
      }
    }
  }

  private isStopped(): boolean {
    return this.stopper.signal.aborted;
  }

  /** One attempt, as client-go's tryAcquireOrRenew: true when this process holds the lease afterwards. */
  private async tryAcquireOrRenew(signal?: AbortSignal): Promise<boolean> {
    const now = new Date();
    const durationSeconds = Math.ceil(this.timings.leaseDurationMs / 1000);
    // Every attempt must end well within the renew deadline.
    const timeoutMs = Math.max(500, Math.min(this.timings.retryPeriodMs * 2, this.timings.renewDeadlineMs / 2));
    try {
      const lease = await this.options.client.getOrUndefined<Lease>(`${this.path}/${encodeURIComponent(this.options.name)}`, { timeoutMs, ...(signal === undefined ? {} : { signal }) });
      if (lease === undefined) {
        const created: Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.options.name, namespace: this.options.namespace },
          spec: { holderIdentity: this.identity, leaseDurationSeconds: durationSeconds, acquireTime: formatMicroTime(now), renewTime: formatMicroTime(now), leaseTransitions: 0 },
        };
        await this.options.client.request('POST', this.path, { body: created, timeoutMs, ...(signal === undefined ? {} : { signal }) });
        this.observe(created.spec ?? {});
        return true;
      }
      const spec = lease.spec ?? {};
      this.observe(spec);
      const holder = spec.holderIdentity ?? '';
      const held = holder !== '' && holder !== this.identity;
      if (held && !this.isExpired(spec, Date.now())) return false;
      const mine = holder === this.identity;
      const next: LeaseSpec = {
        holderIdentity: this.identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: mine && spec.acquireTime !== undefined ? spec.acquireTime : formatMicroTime(now),
        renewTime: formatMicroTime(now),
        leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      };
      // The resourceVersion makes the write conditional: two candidates cannot both win.
      await this.options.client.request('PUT', `${this.path}/${encodeURIComponent(this.options.name)}`, {
        body: { ...lease, spec: next },
        timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      this.observe(next);
      return true;
    } catch (err) {
      if (isConflict(err)) {
        this.logger.debug('lease changed under us');
      } else {
        this.logger.warn({ err }, 'lease acquire or renew failed');
      }
      return false;
    }
  }

  private observe(spec: LeaseSpec): void {
    const record = `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}|${spec.leaseTransitions ?? 0}`;
    if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
  }

  private isExpired(spec: LeaseSpec, now: number): boolean {
    const durationMs = (spec.leaseDurationSeconds ?? Math.ceil(this.timings.leaseDurationMs / 1000)) * 1000;
    return this.observed === undefined || this.observed.at + durationMs <= now;
  }

  private async release(): Promise<void> {
    try {
      const lease = await this.options.client.getOrUndefined<Lease>(`${this.path}/${encodeURIComponent(this.options.name)}`);
      if (lease?.spec?.holderIdentity !== this.identity) return;
      const now = formatMicroTime(new Date());
      // As client-go: an empty holder with a 1 s duration lets a standby take over at once.
      const spec: LeaseSpec = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec.leaseTransitions ?? 0 };
      await this.options.client.request('PUT', `${this.path}/${encodeURIComponent(this.options.name)}`, { body: { ...lease, spec }, timeoutMs: 5000 });
      this.logger.info('released lease');
    } catch (err) {
      if (!isNotFound(err)) this.logger.warn({ err }, 'could not release lease');
    }
  }

  private async pause(signal: AbortSignal): Promise<void> {
    // Jitter keeps two candidates that started together from colliding on every attempt.
    const delay = this.timings.retryPeriodMs * (1 + Math.random() * 0.2);
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      // Aborted: the loop checks the signal.
    }
  }
}
