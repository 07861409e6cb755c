// The ProofRequest reconciler: fetch → gone: cancel → decided: stop → landed: record → checks → dispatch.
import { apiVersion, type ProofRequest, type PxlCore } from '../../../../crds/index.js';
import type { Applier, Informer, ReconcileContext, ReconcileOutcome } from '../../runtime/index.js';
import { findCondition } from '../shared/conditions.js';
import type { EventRecorder } from '../shared/events.js';
import { isJsonEqual } from '../shared/deep-equal.js';
import { findBlocker } from './checks.js';
import type { Dispatcher } from './dispatcher.js';
import type { Flight, Flights } from './flights.js';
import type { LastWritten } from './fresher.js';
import type { ProofMetrics } from './metrics.js';
import { computeRetryDelayMs } from './retry.js';
import { buildErrorStatus, buildPendingStatus, buildVerdictStatus, isDecided, type KnownAttempts } from './status.js';
import type { StatusWriter } from './status-writer.js';
import type { RetryState, WaitingRoom } from './waiting-room.js';

/** Everything the ProofRequest reconciler reads and writes through. */
export interface ProofRequestReconcilerDeps {
  readonly applier: Applier;
  readonly requests: Informer<ProofRequest>;
  readonly cores: Informer<PxlCore>;
  readonly flights: Flights;
  readonly waiting: WaitingRoom;
  readonly lastWritten: LastWritten;
  readonly writer: StatusWriter;
  readonly dispatcher: Dispatcher;
  readonly metrics: ProofMetrics;
  readonly events: EventRecorder;
  readonly maxAttempts: number;
}

/** Reconciles one ProofRequest generation into exactly one verdict. */
export class ProofRequestReconciler {
  private readonly deps: ProofRequestReconcilerDeps;
  /**
   * The undecided generations in the cache when this process began reconciling (key → generation): a previous
   * operator process may have had a call open for them. Taken once, entries leave when the request is decided.
   */
  private inherited: Map<string, number> | undefined;

  constructor(deps: ProofRequestReconcilerDeps) {
    this.deps = deps;
  }

  /** One pass of the checklist for the request with `context.key`. */
  async reconcile(context: ReconcileContext): Promise<ReconcileOutcome | undefined> {
    this.inherited ??= this.listUndecided();
    const cached = this.deps.requests.get(context.key);
    if (cached === undefined || cached.metadata.deletionTimestamp !== undefined) {
      this.forget(context.key);
      this.deps.lastWritten.forget(context.key);
      return undefined;
    }
    const request = this.deps.lastWritten.pick(context.key, cached);
    const generation = request.metadata.generation ?? 0;
    // The decision is persisted before anything else: a decided generation is never proved again.
    if (isDecided(request.status, generation)) {
      this.forget(context.key);
      return this.expire(request);
    }
    const flight = this.deps.flights.find(context.key);
    if (flight === undefined) return this.admit(request, context);
    // A spec edit made the flight stale: abort it and verify the new generation.
    if (flight.generation !== generation) {
      this.deps.flights.cancel(context.key);
      return this.admit(request, context);
    }
    // Still in flight: its landing queues this key again.
    if (flight.outcome === undefined) return undefined;
    return this.record(request, flight, context);
  }

  private async admit(request: ProofRequest, context: ReconcileContext): Promise<ReconcileOutcome | undefined> {
    const generation = request.metadata.generation ?? 0;
    const coreName = request.spec.coreRef.name;
    const core = this.deps.cores.get(`${context.namespace ?? ''}/${coreName}`);
    const ready = findCondition(core?.status?.conditions, 'Ready');
    const retry = this.deps.waiting.findRetry(context.key, generation);
    const known = knownAttempts(request, generation, retry);
    const blocker = findBlocker({
      coreName,
      core: core === undefined ? undefined : { ready: ready?.status === 'True', readyMessage: ready?.message ?? 'no status yet' },
    });
    if (blocker !== undefined) {
      // No wake-up list: a change of the core (its creation, its Ready condition) maps back to this request.
      await this.writePending(request, blocker.reason, blocker.message, known);
      return undefined;
    }
    const waitMs = (retry?.notBefore ?? 0) - Date.now();
    if (waitMs > 0) return { requeueAfterMs: waitMs };
    // Attempts count from the status and from failures this process saw, whose Retrying write may have been lost.
    if (known.attempts >= this.deps.maxAttempts) {
      const message = `gave up after ${known.attempts} attempts: ${retry?.message ?? 'the last attempt did not finish'}`;
      await this.writeFinal(request, (previous) => buildErrorStatus(previous, generation, retry?.reason ?? 'RetriesExhausted', message, new Date().toISOString(), known));
      return undefined;
    }
    if (core === undefined) return undefined;
    // A check cut off within the Running delay left no trace in the status, so the first attempt this process makes
    // for a request inherited from a previous operator counts one unrecorded attempt: attempts stays an upper bound
    // of the checks sent for the generation, as it was when Running was written before every call.
    const unrecorded = retry === undefined && this.isInherited(context.key, generation) ? 1 : 0;
    const attempt = { attempts: known.attempts + unrecorded + 1, startTime: known.startTime ?? new Date().toISOString() };
    const result = await this.deps.dispatcher.dispatch(request, core, retry?.avoid ?? new Set(), attempt, context.logger);
    if (result.kind === 'queued') {
      // A request that merely waits for a free session gets no status write of its own: under load those
      // writes would compete with dispatch. The core's queueDepth counts it; other reasons are written.
      const untouched = request.status?.observedGeneration !== generation;
      if (!(untouched && result.reason === 'Queued')) await this.writePending(request, result.reason, result.message, known);
      // A landing proof or a new ready Pod wakes queued requests; the delay only guards against a lost wake-up.
      return { requeueAfterMs: 30_000 };
    }
    return undefined;
  }

  private async record(request: ProofRequest, flight: Flight, context: ReconcileContext): Promise<ReconcileOutcome | undefined> {
    const outcome = flight.outcome;
    const generation = flight.generation;
    const now = new Date().toISOString();
    // No Running may have been written for this attempt: every write below carries its count and start time.
    const known: KnownAttempts = { attempts: flight.attempt, startTime: flight.startTime };
    if (outcome === undefined || outcome.kind === 'aborted') {
      this.deps.flights.settle(flight);
      return this.admit(request, context);
    }
    if (outcome.kind === 'verdict') {
      const landedAt = flight.landedAt ?? Date.now();
      context.logger.debug({ pod: flight.podName, callMs: landedAt - flight.startedAt, queuedMs: Date.now() - landedAt }, 'proof landed');
      await this.writeFinal(request, (previous) => buildVerdictStatus(previous, generation, outcome.response, flight.podName, now, known));
      this.deps.flights.settle(flight);
      return undefined;
    }
    context.logger.warn({ pod: flight.podName, attempt: flight.attempt, reason: outcome.reason, detail: outcome.message }, 'prover attempt failed');
    if (outcome.reason === 'ProverUnauthorized') this.deps.dispatcher.forgetToken(request, this.deps.cores.get(flight.coreKey));
    const previous = this.deps.waiting.findRetry(context.key, generation);
    const delayMs = computeRetryDelayMs(flight.attempt, outcome.retryAfterMs);
    this.deps.waiting.recordFailure(context.key, {
      generation,
      avoid: new Set([...(previous?.avoid ?? []), flight.podName]),
      notBefore: Date.now() + delayMs,
      attempts: flight.attempt,
      startTime: flight.startTime,
      reason: outcome.reason,
      message: outcome.message,
    });
    this.deps.flights.settle(flight);
    if (flight.attempt >= this.deps.maxAttempts) {
      const message = `gave up after ${flight.attempt} attempts: ${outcome.message}`;
      await this.writeFinal(request, (status) => buildErrorStatus(status, generation, outcome.reason, message, now, known));
      return undefined;
    }
    const message = `attempt ${flight.attempt} on ${flight.podName} failed (${outcome.message}); retrying in ${Math.round(delayMs / 1000)}s`;
    await this.writePending(request, 'Retrying', message, known);
    return { requeueAfterMs: delayMs };
  }

  private async writePending(request: ProofRequest, reason: string, message: string, known: KnownAttempts): Promise<void> {
    const generation = request.metadata.generation ?? 0;
    const status = buildPendingStatus(request.status, generation, reason, message, new Date().toISOString(), known);
    if (isJsonEqual(request.status, status)) return;
    await this.deps.writer.write(request, () => status);
    if (reason === 'CoreNotFound') this.deps.events.record(request, 'Warning', reason, message);
  }

  private async writeFinal(request: ProofRequest, build: Parameters<StatusWriter['writeVerdict']>[2]): Promise<void> {
    const generation = request.metadata.generation ?? 0;
    const written = await this.deps.writer.writeVerdict(request, generation, build);
    if (written === undefined) return;
    const phase = written.status?.phase ?? 'Error';
    const condition = findCondition(written.status?.conditions, 'Succeeded');
    this.deps.metrics.recordVerdict(written.metadata.namespace ?? '', written.spec.coreRef.name, phase, String(written.metadata.creationTimestamp), Date.now());
    // Events only for what a user can act on: a proof that did not pass. Proved is in status and metrics, and an
    // Event per success would add one API write per request.
    if (phase !== 'Proved') this.deps.events.record(written, 'Warning', condition?.reason ?? phase, condition?.message ?? phase);
    this.deps.waiting.clearRetry(`${written.metadata.namespace ?? ''}/${written.metadata.name ?? ''}`);
  }

  /** Deletes a finished request once its opt-in time to live has passed. */
  private async expire(request: ProofRequest): Promise<ReconcileOutcome | undefined> {
    const ttlSeconds = request.spec.ttlSecondsAfterFinished;
    const completed = Date.parse(request.status?.completionTime ?? '');
    if (ttlSeconds === undefined || ttlSeconds === null || !Number.isFinite(completed)) return undefined;
    const remainingMs = completed + ttlSeconds * 1000 - Date.now();
    if (remainingMs > 0) return { requeueAfterMs: remainingMs };
    const uid = request.metadata.uid;
    await this.deps.applier.delete({ apiVersion, kind: 'ProofRequest', metadata: { name: request.metadata.name ?? '', namespace: request.metadata.namespace ?? '' } }, uid === undefined ? {} : { uid });
    return undefined;
  }

  /** True when a previous operator process may have sent a check for this generation before it stopped. */
  private isInherited(key: string, generation: number): boolean {
    return this.inherited?.get(key) === generation;
  }

  private listUndecided(): Map<string, number> {
    const undecided = new Map<string, number>();
    for (const r of this.deps.requests.list()) {
      const generation = r.metadata.generation ?? 0;
      if (!isDecided(r.status, generation)) undecided.set(`${r.metadata.namespace ?? ''}/${r.metadata.name ?? ''}`, generation);
    }
    return undecided;
  }

  private forget(key: string): void {
    this.inherited?.delete(key);
    this.deps.flights.cancel(key);
    this.deps.waiting.leave(key);
    this.deps.waiting.clearRetry(key);
  }
}

/** The generation's attempts so far and its start time: from its status, raised by failures recorded in memory. */
function knownAttempts(request: ProofRequest, generation: number, retry: RetryState | undefined): KnownAttempts {
  const status = request.status?.observedGeneration === generation ? request.status : undefined;
  const attempts = Math.max(status?.attempts ?? 0, retry?.attempts ?? 0);
  const startTime = status?.startTime ?? retry?.startTime;
  return { attempts, ...(startTime === undefined ? {} : { startTime }) };
}
