// Dispatch of one request generation: pick the least loaded ready Pod, start the call, persist Running if it is slow.
import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ProofRequest, PxlCore } from '../../../../crds/index.js';
import type { Informer } from '../../runtime/index.js';
import { childNames, selectorLabels, serviceSliceLabels } from '../pxlcore/names.js';
import { choosePod, resolveEndpoints } from './endpoints.js';
import { isConflict } from '../../runtime/index.js';
import { prefetchPerSession, type Flight, type Flights } from './flights.js';
import { buildProveBody } from './request-body.js';
import { buildRunningStatus, type KnownAttempts } from './status.js';
import type { StatusWriter } from './status-writer.js';
import type { TokenSource } from './tokens.js';
import type { WaitingRoom } from './waiting-room.js';

/** What a dispatch did: started a proof, or queued the request behind busy or missing provers. */
export type DispatchResult = { readonly kind: 'launched' } | { readonly kind: 'queued'; readonly reason: string; readonly message: string };

/** Starts proofs on a core's ready Pods, at most sessionsPerReplica per Pod. */
export class Dispatcher {
  private readonly endpointSlices: Informer<V1EndpointSlice>;
  private readonly pods: Informer<V1Pod>;
  private readonly flights: Flights;
  private readonly waiting: WaitingRoom;
  private readonly tokens: TokenSource;
  private readonly writer: StatusWriter;

  constructor(deps: { endpointSlices: Informer<V1EndpointSlice>; pods: Informer<V1Pod>; flights: Flights; waiting: WaitingRoom; tokens: TokenSource; writer: StatusWriter }) {
    this.endpointSlices = deps.endpointSlices;
    this.pods = deps.pods;
    this.flights = deps.flights;
    this.waiting = deps.waiting;
    this.tokens = deps.tokens;
    this.writer = deps.writer;
  }

  /** Dispatches the request's current generation as attempt `attempt.attempts`, or queues it when no Pod has a free session. */
  async dispatch(request: ProofRequest, core: PxlCore, avoid: ReadonlySet<string>, attempt: Required<KnownAttempts>, logger: Logger): Promise<DispatchResult> {
    const namespace = request.metadata.namespace ?? '';
    const key = `${namespace}/${request.metadata.name ?? ''}`;
    const coreName = core.metadata.name ?? '';
    const coreKey = `${namespace}/${coreName}`;
    const endpoints = resolveEndpoints(
      this.endpointSlices.list({ namespace, labels: serviceSliceLabels(coreName) }),
      this.pods.list({ namespace, labels: selectorLabels(coreName) }),
    );
    const sessions = core.spec?.sessionsPerReplica ?? 2;
    const capacity = sessions * (1 + prefetchPerSession);
    const pod = choosePod(endpoints, (podName) => this.flights.countOnPod(namespace, podName), capacity, avoid);
    if (pod === undefined) {
      // Entering the queue happens in the same tick as the capacity check, so no landing can slip between.
      this.waiting.enter(coreKey, key);
      return endpoints.length === 0
        ? { kind: 'queued', reason: 'NoReadyProver', message: `PxlCore "${coreName}" has no ready prover endpoint yet` }
        : { kind: 'queued', reason: 'Queued', message: `waiting for a free session on ${endpoints.length} prover(s) of "${coreName}"` };
    }
    this.waiting.leave(key);
    const release = this.flights.reserve(namespace, pod.podName);
    try {
      const token = await this.tokens.get(namespace, core.spec?.auth?.secretRef?.name ?? childNames(coreName).tokenSecret);
      const generation = request.metadata.generation ?? 0;
      const body = buildProveBody(request.spec, core.spec?.proofDefaults?.timeoutSeconds, `${request.metadata.uid ?? key}/${generation}/${attempt.attempts}`);
      this.flights.launch({
        key,
        generation,
        coreKey,
        namespace,
        podName: pod.podName,
        sessions,
        attempt: attempt.attempts,
        startTime: attempt.startTime,
        target: { url: pod.url, token },
        body,
        release,
        onSlow: (flight) => void this.writeRunning(request, flight, logger),
      });
      logger.debug({ pod: pod.podName, attempt: attempt.attempts }, 'proof dispatched');
      return { kind: 'launched' };
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * Writes Running for a call that is still open, on the object the dispatch was decided on. A 409 means the
   * verdict or a newer generation was written meanwhile, so the late Running is dropped; other failures only cost
   * the in-progress display, since the verdict write carries attempts and startTime itself.
   */
  private async writeRunning(request: ProofRequest, flight: Flight, logger: Logger): Promise<void> {
    const attempt = { attempts: flight.attempt, startTime: flight.startTime };
    try {
      await this.writer.write(request, (previous) => buildRunningStatus(previous, flight.generation, flight.podName, attempt, new Date().toISOString()));
    } catch (err) {
      if (isConflict(err)) return;
      logger.warn({ err, pod: flight.podName, attempt: flight.attempt }, 'running status not written');
    }
  }

  /** Forgets a core's token after a prover refused it, so the next dispatch rereads the Secret. */
  forgetToken(request: ProofRequest, core: PxlCore | undefined): void {
    const namespace = request.metadata.namespace ?? '';
    const name = core?.spec?.auth?.secretRef?.name ?? childNames(core?.metadata.name ?? request.spec.coreRef.name).tokenSecret;
    this.tokens.invalidate(namespace, name);
  }
}
