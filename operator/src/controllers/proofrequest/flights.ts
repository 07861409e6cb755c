// The proofs in flight: one background HTTP call per request generation, its Pod's load, and its outcome.
import { postProve, type ProverTarget } from '../../prover-client/prove.js';
import type { ProveBody, ProveOutcome } from '../../prover-client/types.js';

/** One dispatched attempt of one request generation. */
export interface Flight {
  readonly key: string;
  readonly generation: number;
  readonly coreKey: string;
  readonly podName: string;
  readonly attempt: number;
  readonly startedAt: number;
  /** Set once the call ended; the reconcile that records it removes the flight. */
  outcome: ProveOutcome | undefined;
  readonly controller: AbortController;
}

/** Called when a flight's call ended, so its key is reconciled again. */
export type FlightListener = (flight: Flight) => void;

/**
 * Tracks proofs in flight. Owned by the ProofRequest controller (one instance per operator process);
 * losing it on a restart is safe because a request without a verdict is simply dispatched again.
 */
export class Flights {
  private readonly byKey = new Map<string, Flight>();
  private readonly loadByPod = new Map<string, number>();
  private readonly onLand: FlightListener;

  constructor(onLand: FlightListener) {
    this.onLand = onLand;
  }

  /** The flight of a request key, whatever its generation. */
  find(key: string): Flight | undefined {
    return this.byKey.get(key);
  }

  /** Proofs in flight on one Pod (namespace/podName). */
  countOnPod(namespace: string, podName: string): number {
    return this.loadByPod.get(`${namespace}/${podName}`) ?? 0;
  }

  /** Proofs in flight for one core (namespace/name). */
  countForCore(coreKey: string): number {
    let count = 0;
    for (const flight of this.byKey.values()) if (flight.coreKey === coreKey && flight.outcome === undefined) count += 1;
    return count;
  }

  /** Takes one session of a Pod before the Running status is written; call the result to give it back unused. */
  reserve(namespace: string, podName: string): () => void {
    const podKey = `${namespace}/${podName}`;
    this.loadByPod.set(podKey, (this.loadByPod.get(podKey) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(podKey);
    };
  }

  /** Starts the call in the background on a reserved session; the session is given back when the call ends. */
  launch(params: { key: string; generation: number; coreKey: string; podName: string; attempt: number; target: ProverTarget; body: ProveBody; release: () => void }): Flight {
    this.cancel(params.key);
    const flight: Flight = {
      key: params.key,
      generation: params.generation,
      coreKey: params.coreKey,
      podName: params.podName,
      attempt: params.attempt,
      startedAt: Date.now(),
      outcome: undefined,
      controller: new AbortController(),
    };
    this.byKey.set(params.key, flight);
    void postProve(params.target, params.body, flight.controller.signal).then((outcome) => {
      params.release();
      if (this.byKey.get(params.key) !== flight) return;
      flight.outcome = outcome;
      this.onLand(flight);
    });
    return flight;
  }

  /** Aborts and forgets a request's flight (new generation, deletion, verdict recorded). */
  cancel(key: string): void {
    const flight = this.byKey.get(key);
    if (flight === undefined) return;
    this.byKey.delete(key);
    if (flight.outcome === undefined) flight.controller.abort();
  }

  /** Forgets a landed flight once its outcome is recorded. */
  settle(flight: Flight): void {
    if (this.byKey.get(flight.key) === flight) this.byKey.delete(flight.key);
  }

  /** Aborts every flight (shutdown or lost leadership). */
  cancelAll(): void {
    for (const key of [...this.byKey.keys()]) this.cancel(key);
  }

  private release(podKey: string): void {
    const load = (this.loadByPod.get(podKey) ?? 1) - 1;
    if (load <= 0) this.loadByPod.delete(podKey);
    else this.loadByPod.set(podKey, load);
  }
}
