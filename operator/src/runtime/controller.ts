// A controller: a primary informer, secondary watches mapped to primary keys, a work queue and N workers.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { BackoffOptions } from './backoff.js';
import { classifyError, errorClasses } from './errors.js';
import { type Informer, splitKey } from './informer.js';
import { type ReconcileMetrics, type ReconcileResultLabel, reconcileResults } from './metrics.js';
import { WorkQueue } from './work-queue.js';

/** What a reconcile knows about the key it works on. */
export interface ReconcileContext {
  /** `namespace/name` of the primary object. */
  readonly key: string;
  readonly namespace: string | undefined;
  readonly name: string;
  /** A child logger with controller, namespace, name, generation and reconcileId. */
  readonly logger: Logger;
  readonly reconcileId: string;
  /** Aborted when the controller stops (leadership lost, or shutdown past its grace period). */
  readonly signal: AbortSignal;
}

/** What a successful reconcile asks for: nothing, or another look after a delay. */
export interface ReconcileOutcome {
  readonly requeueAfterMs?: number;
}

/** A level-based reconcile of one key; throw a typed error (errors.ts) to choose how a failure is retried. */
export type ReconcileFunction = (context: ReconcileContext) => Promise<ReconcileOutcome | undefined>;

/** Everything a controller needs. */
export interface ControllerOptions<T extends KubernetesObject> {
  /** The `controller` label of the metrics and logs, e.g. `proofrequest`. */
  readonly name: string;
  readonly primary: Informer<T>;
  readonly reconcile: ReconcileFunction;
  readonly logger: Logger;
  readonly metrics: ReconcileMetrics;
  /** Keys worked on concurrently (each key by one worker at a time); default 2. */
  readonly workers?: number;
  readonly backoff?: BackoffOptions;
}

/** Maps a changed secondary object to the primary keys it affects. */
export type KeyMapper<S> = (object: S) => readonly string[];

/**
 * Runs a reconcile function for every key whose primary object, or a watched secondary object, changed.
 * A controller starts once and stops once; a new leader term builds new controllers.
 */
export class Controller<T extends KubernetesObject> {
  /** The queue; exposed for tests and queue-depth metrics. */
  readonly queue: WorkQueue;
  private readonly options: ControllerOptions<T>;
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private readonly unsubscribers: (() => void)[] = [];
  private workers: Promise<void>[] = [];
  private started = false;

  constructor(options: ControllerOptions<T>) {
    this.options = options;
    this.logger = options.logger.child({ controller: options.name });
    this.queue = new WorkQueue(options.backoff === undefined ? {} : { backoff: options.backoff });
    this.unsubscribers.push(options.primary.onChange((key) => { this.queue.add(key); }));
  }

  /** Also reconciles the primary keys a changed secondary object maps to. */
  watches<S extends KubernetesObject>(informer: Informer<S>, mapToKeys: KeyMapper<S>): this {
    this.unsubscribers.push(
      informer.onChange((_key, object) => {
        for (const key of mapToKeys(object)) this.queue.add(key);
      }),
    );
    return this;
  }

  /** Also reconciles the owner (its controller owner reference of this kind) of a changed secondary object. */
  owns<S extends KubernetesObject>(informer: Informer<S>, owner: { readonly apiVersion: string; readonly kind: string }): this {
    return this.watches(informer, mapToOwnerKeys(owner));
  }

  /** Queues a key now. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Queues a key after a delay. */
  enqueueAfter(key: string, delayMs: number): void {
    this.queue.addAfter(key, delayMs);
  }

  /** Queues every cached primary object and starts the workers. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const key of this.options.primary.keys()) this.queue.add(key);
    const count = Math.max(1, this.options.workers ?? 2);
    this.workers = Array.from({ length: count }, () => this.runWorker());
    this.logger.info({ workers: count }, 'controller started');
  }

  /**
   * Stops handing out keys and waits up to `graceMs` for reconciles in flight; then aborts their signal and
   * waits up to `abortWaitMs` more. Resolves true when every reconcile finished.
   */
  async stop(options: { graceMs: number; abortWaitMs?: number }): Promise<boolean> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    const drained = this.queue.shutDown();
    let finished = await settlesWithin(drained, options.graceMs);
    if (!finished) {
      this.abort.abort(new Error('controller stopping'));
      finished = await settlesWithin(drained, options.abortWaitMs ?? 2000);
    }
    if (finished) await Promise.all(this.workers);
    this.logger.info({ finished }, 'controller stopped');
    return finished;
  }

  private async runWorker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcileKey(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileKey(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const reconcileId = randomUUID();
    const generation = this.options.primary.get(key)?.metadata?.generation;
    const logger = this.logger.child({ namespace, name, generation, reconcileId });
    const started = performance.now();
    let result: ReconcileResultLabel;
    try {
      const outcome = await this.options.reconcile({ key, namespace, name, logger, reconcileId, signal: this.abort.signal });
      this.queue.forget(key);
      if (outcome?.requeueAfterMs !== undefined) {
        this.queue.addAfter(key, outcome.requeueAfterMs);
        result = reconcileResults.requeue;
      } else {
        result = reconcileResults.success;
      }
    } catch (err) {
      result = this.handleFailure(key, err, logger);
    }
    const seconds = (performance.now() - started) / 1000;
    this.options.metrics.total.inc({ controller: this.options.name, result });
    this.options.metrics.duration.observe({ controller: this.options.name }, seconds);
  }

  private handleFailure(key: string, err: unknown, logger: Logger): ReconcileResultLabel {
    switch (classifyError(err)) {
      case errorClasses.notFound:
        this.queue.forget(key);
        logger.debug({ err }, 'object gone, dropping key');
        return reconcileResults.notFound;
      case errorClasses.permanent:
        this.queue.forget(key);
        logger.error({ err }, 'reconcile failed permanently');
        return reconcileResults.permanentError;
      case errorClasses.transient: {
        const delayMs = this.queue.addRateLimited(key);
        logger.warn({ err, delayMs, failures: this.queue.countFailures(key) }, 'reconcile failed, retrying');
        return reconcileResults.transientError;
      }
    }
  }
}

/** The parts of an object that owner mapping reads. */
export interface OwnedObject {
  readonly metadata?: {
    readonly namespace?: string;
    readonly ownerReferences?: readonly { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly controller?: boolean }[];
  };
}

/** A key mapper that follows an object's controller owner reference of the given kind (same namespace). */
export function mapToOwnerKeys(owner: { readonly apiVersion: string; readonly kind: string }): KeyMapper<OwnedObject> {
  const group = groupOf(owner.apiVersion);
  return (object) => {
    const namespace = object.metadata?.namespace;
    const refs = object.metadata?.ownerReferences ?? [];
    return refs
      .filter((ref) => ref.kind === owner.kind && groupOf(ref.apiVersion) === group && ref.controller === true)
      .map((ref) => (namespace === undefined || namespace === '' ? ref.name : `${namespace}/${ref.name}`));
  };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => { resolve(false); }, ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
