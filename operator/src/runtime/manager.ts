// Wires informers, controllers, leader election, the health server and graceful shutdown into one lifecycle.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Controller, type ControllerOptions } from './controller.js';
import { type HealthServer, type Readiness, startHealthServer } from './health-server.js';
import { Informer, type InformerOptions } from './informer.js';
import type { KubeClient } from './kube-client.js';
import { type LeaderElectionTimings, LeaderElector } from './leader-election.js';
import { type ReconcileMetrics, createReconcileMetrics } from './metrics.js';

/** Why a manager stopped: a signal or stop() call, or the lease was lost (the process should exit non-zero). */
export const stopReasons = { requested: 'requested', leadershipLost: 'leadershipLost' } as const;

/** One stop reason. */
export type StopReason = (typeof stopReasons)[keyof typeof stopReasons];

/** Options of a manager. */
export interface ManagerOptions {
  readonly client: KubeClient;
  readonly logger: Logger;
  /** The one registry of the process; reconcile metrics are registered on it and /metrics serves it. */
  readonly registry: Registry;
  /** Lease to campaign for; unset runs the controllers without election (tests, single replica). */
  readonly leaderElection?: { readonly namespace: string; readonly name: string; readonly identity?: string; readonly timings?: LeaderElectionTimings };
  /** Where /healthz, /readyz and /metrics listen; unset serves none. */
  readonly health?: { readonly host: string; readonly port: number };
  /** How long SIGTERM waits for reconciles in flight before aborting them (default 20 s). */
  readonly shutdownGraceMs?: number;
}

/**
 * The operator process's lifecycle: caches start at once (a standby keeps warm caches and is ready),
 * controllers run only while leading, losing the lease stops everything, and stop() drains, releases the
 * lease and closes the server. A manager runs once; restart the process to run again.
 */
export class Manager {
  /** Reconcile metrics shared by the manager's controllers. */
  readonly metrics: ReconcileMetrics;
  /** Resolves with the reason once the manager has fully stopped. */
  readonly done: Promise<StopReason>;
  private readonly options: ManagerOptions;
  private readonly logger: Logger;
  private readonly informers: Informer<KubernetesObject>[] = [];
  private readonly controllers: Controller<KubernetesObject>[] = [];
  private elector: LeaderElector | undefined;
  private health: HealthServer | undefined;
  private resolveDone: (reason: StopReason) => void = () => undefined;
  private stopping: Promise<void> | undefined;
  private controllersStarted = false;

  constructor(options: ManagerOptions) {
    this.options = options;
    this.logger = options.logger;
    this.metrics = createReconcileMetrics(options.registry);
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  /** Creates an informer that starts with the manager and counts towards readiness. */
  informer<T extends KubernetesObject>(options: Omit<InformerOptions, 'client' | 'logger'>): Informer<T> {
    const informer = new Informer<T>({ ...options, client: this.options.client, logger: this.logger });
    this.informers.push(informer as unknown as Informer<KubernetesObject>);
    return informer;
  }

  /** Creates a controller that runs while this process leads. */
  controller<T extends KubernetesObject>(options: Omit<ControllerOptions<T>, 'logger' | 'metrics'>): Controller<T> {
    const controller = new Controller<T>({ ...options, logger: this.logger, metrics: this.metrics });
    this.controllers.push(controller as unknown as Controller<KubernetesObject>);
    return controller;
  }

  /** The port of the health server, once started. */
  healthPort(): number | undefined {
    return this.health?.port;
  }

  /** True when this process leads (always true without leader election). */
  isLeader(): boolean {
    return this.elector === undefined ? this.controllersStarted : this.elector.isLeader();
  }

  /** Readiness: every cache synced; a standby is ready too, so a rollout does not wait for the lease. */
  checkReadiness(): Readiness {
    const unsynced = this.informers.filter((informer) => !informer.hasSynced()).length;
    const role = this.isLeader() ? 'leader' : 'standby';
    return { ready: unsynced === 0 && this.stopping === undefined, detail: { role, unsyncedCaches: String(unsynced) } };
  }

  /** Starts the health server and caches, waits for the caches, then campaigns (or starts controllers at once). */
  async start(options: { syncTimeoutMs?: number } = {}): Promise<void> {
    if (this.options.health !== undefined) {
      this.health = await startHealthServer({ ...this.options.health, registry: this.options.registry, checkReadiness: () => this.checkReadiness() });
      this.logger.info({ port: this.health.port }, 'health server listening');
    }
    for (const informer of this.informers) informer.start();
    const signal = AbortSignal.timeout(options.syncTimeoutMs ?? 120_000);
    await Promise.all(this.informers.map((informer) => informer.waitForSync(signal)));
    const election = this.options.leaderElection;
    if (election === undefined) {
      this.startControllers();
      return;
    }
    this.elector = new LeaderElector({ ...election, client: this.options.client, logger: this.logger });
    this.elector.run({
      onStartedLeading: () => { this.startControllers(); },
      onStoppedLeading: () => { void this.stop(stopReasons.leadershipLost); },
    });
  }

  /** Calls stop() on SIGTERM and SIGINT. */
  handleSignals(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        this.logger.info({ signal }, 'shutting down');
        void this.stop(stopReasons.requested);
      });
    }
  }

  /** Stops controllers (draining within the grace period), the election (releasing the lease), caches and server. */
  stop(reason: StopReason = stopReasons.requested): Promise<void> {
    this.stopping ??= this.shutDown(reason);
    return this.stopping;
  }

  private startControllers(): void {
    if (this.controllersStarted) return;
    this.controllersStarted = true;
    for (const controller of this.controllers) controller.start();
  }

  private async shutDown(reason: StopReason): Promise<void> {
    // Without the lease another leader may already act: give in-flight work no grace, only abort time.
    const graceMs = reason === stopReasons.leadershipLost ? 0 : (this.options.shutdownGraceMs ?? 20_000);
    await Promise.all(this.controllers.map((controller) => controller.stop({ graceMs })));
    await this.elector?.stop({ release: reason === stopReasons.requested });
    await Promise.all(this.informers.map((informer) => informer.stop()));
    await this.health?.close();
    this.options.client.close();
    this.logger.info({ reason }, 'manager stopped');
    this.resolveDone(reason);
  }
}
