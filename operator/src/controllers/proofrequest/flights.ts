// The proofs in flight: one background HTTP call per request generation, its Pod's load, and its outcome.
import { postProve, type ProverTarget } from '../../prover-client/prove.js';
import type { ProveBody, ProveOutcome } from '../../prover-client/types.js';

/** One dispatched attempt of one request generation. */
export interface Flight {
  readonly key: string;
  readonly generation: number;
  readonly coreKey: string;
  readonly podName: string;
  /** This generation's attempt number: earlier attempts + 1. */
  readonly attempt: number;
  /** When the generation's first attempt was dispatched (ISO time): the status's startTime. */
  readonly startTime: string;
  readonly startedAt: number;
  /** Set once the call ended; the reconcile that records it removes the flight. */
  outcome: ProveOutcome | undefined;
  /** When the call ended (ms since epoch), for the log of how long the verdict waited to be written. */
  landedAt: number | undefined;
  readonly controller: AbortController;
}

/** Called when a flight's call ended, so its key is reconciled again. */
export type FlightListener = (flight: Flight) => void;

/** Requests dispatched to a Pod beyond its sessions wait in the operator, one per session at most. */
export const prefetchPerSession = 4;

/**
 * A call still open this long after it reached a prover session gets its Running status written. Most checks end
 * sooner, and their verdict write carries attempts and startTime itself, which saves one API write per proof.
 */
export const runningStatusDelayMs = 500;

/**
 * Tracks proofs in flight. Owned by the ProofRequest controller (one instance per operator process);
 * losing it on a restart is safe because a request without a verdict is simply dispatched again.
 *
 * A Pod never has more than `sessions` calls open. Up to `prefetchPerSession` more requests per session
 * may be dispatched to it and start the moment a call ends, so the prover's sessions never idle between proofs.
 */
export class Flights {
  private readonly byKey = new Map<string, Flight>();
  private readonly loadByPod = new Map<string, number>();
  private readonly openByPod = new Map<string, number>();
  private readonly waitingByPod = new Map<string, (() => void)[]>();
  private readonly onLand: FlightListener;

  constructor(onLand: FlightListener) {
    this.onLand = onLand;
  }

  /** The flight of a request key, whatever its generation. */
  find(key: string): Flight | undefined {
    return this.byKey.get(key);
  }

  /** Requests dispatched to one Pod (namespace/podName) and not landed: open calls plus prefetched ones. */
  countOnPod(namespace: string, podName: string): number {
    return this.loadByPod.get(`${namespace}/${podName}`) ?? 0;
  }

  /** Takes one place on a Pod before the call is launched; call the result to give it back unused. */
  reserve(namespace: string, podName: string): () => void {
    const podKey = `${namespace}/${podName}`;
    add(this.loadByPod, podKey, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      add(this.loadByPod, podKey, -1);
    };
  }

  /**
   * Starts the call in the background once the Pod has a free session; the place is given back when it ends.
   * `onSlow` runs once if the call is still open `runningStatusDelayMs` after it started.
   */
  launch(params: {
    key: string;
    generation: number;
    coreKey: string;
    namespace: string;
    podName: string;
    sessions: number;
    attempt: number;
    startTime: string;
    target: ProverTarget;
    body: ProveBody;
    release: () => void;
    onSlow: (flight: Flight) => void;
  }): Flight {
    this.cancel(params.key);
    const flight: Flight = {
      key: params.key,
      generation: params.generation,
      coreKey: params.coreKey,
      podName: params.podName,
      attempt: params.attempt,
      startTime: params.startTime,
      startedAt: Date.now(),
      outcome: undefined,
      landedAt: undefined,
      controller: new AbortController(),
    };
    this.byKey.set(params.key, flight);
    const podKey = `${params.namespace}/${params.podName}`;
    const start = (): void => {
      if (flight.controller.signal.aborted) {
        params.release();
        this.startNext(podKey);
        return;
      }
      add(this.openByPod, podKey, 1);
      const slow = setTimeout(() => {
        if (this.byKey.get(params.key) === flight && flight.outcome === undefined && !flight.controller.signal.aborted) params.onSlow(flight);
      }, runningStatusDelayMs);
      void postProve(params.target, params.body, flight.controller.signal).then((outcome) => {
        clearTimeout(slow);
        add(this.openByPod, podKey, -1);
        params.release();
        this.startNext(podKey);
        if (this.byKey.get(params.key) !== flight) return;
        flight.outcome = outcome;
        flight.landedAt = Date.now();
        this.onLand(flight);
      });
    };
    if ((this.openByPod.get(podKey) ?? 0) < params.sessions) start();
    else this.waitingByPod.set(podKey, [...(this.waitingByPod.get(podKey) ?? []), start]);
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

  private startNext(podKey: string): void {
    const waiting = this.waitingByPod.get(podKey);
    const next = waiting?.shift();
    if (waiting?.length === 0) this.waitingByPod.delete(podKey);
    next?.();
  }
}

function add(map: Map<string, number>, key: string, delta: number): void {
  const value = (map.get(key) ?? 0) + delta;
  if (value <= 0) map.delete(key);
  else map.set(key, value);
}
