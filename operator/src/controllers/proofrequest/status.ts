// ProofRequest statuses as pure functions: pending, running, a verdict, or an infrastructure error.
import type { ProveResponse } from '../../prover-client/types.js';
import { finalPhases, type ProofRequestStatus } from '../../../../crds/index.js';
import { mergeConditions } from '../shared/conditions.js';
import { boundMessages, sanitizeReason, truncateText } from './bounds.js';

/** One phase of API §1. */
export type Phase = NonNullable<ProofRequestStatus['phase']>;

/** The `result` block of a ProofRequest status. */
export type ProofResult = NonNullable<ProofRequestStatus['result']>;

const finalPhaseSet: ReadonlySet<string> = new Set(finalPhases);
const verdictPhases: ReadonlySet<string> = new Set(['Proved', 'Refuted', 'Failed', 'Rejected']);

/** Narrows a prover's verdict to a phase; anything else is not a verdict. */
export function toVerdictPhase(verdict: string): Phase | undefined {
  return verdictPhases.has(verdict) ? (verdict as Phase) : undefined;
}

/** True for phases that end a generation's life: Proved, Refuted, Failed, Rejected, Error. */
export function isFinalPhase(phase: string | undefined): boolean {
  return phase !== undefined && finalPhaseSet.has(phase);
}

/** True when the status already holds a verdict for this generation, which must then never change. */
export function isDecided(status: ProofRequestStatus | undefined, generation: number): boolean {
  return status?.observedGeneration === generation && isFinalPhase(status.phase);
}

/**
 * What the operator knows of a generation's attempts beyond its status: a call may have been sent (and may have
 * failed) without a Running write, so every later write carries the count and start time itself.
 */
export interface KnownAttempts {
  readonly attempts: number;
  /** When the generation's first attempt was dispatched. */
  readonly startTime?: string;
}

/** The attempts and start time of this generation: the status's when it speaks about it, raised to what is known. */
function carryOver(previous: ProofRequestStatus | undefined, generation: number, known?: KnownAttempts): { attempts: number; startTime?: string } {
  const fromStatus = previous?.observedGeneration === generation ? previous : undefined;
  const attempts = Math.max(fromStatus?.attempts ?? 0, known?.attempts ?? 0);
  const startTime = fromStatus?.startTime ?? known?.startTime;
  return { attempts, ...(startTime === undefined ? {} : { startTime }) };
}

/** Waiting: no core, no ready prover, or every session busy. */
export function buildPendingStatus(previous: ProofRequestStatus | undefined, generation: number, reason: string, message: string, now: string, known?: KnownAttempts): ProofRequestStatus {
  return {
    observedGeneration: generation,
    phase: 'Pending',
    conditions: mergeConditions(previous?.conditions, [{ type: 'Succeeded', status: 'Unknown', reason, message, observedGeneration: generation }], now),
    ...carryOver(previous, generation, known),
  };
}

/** Still in flight after a while: attempts counts the flight's attempt, startTime is the first dispatch of the generation. */
export function buildRunningStatus(previous: ProofRequestStatus | undefined, generation: number, prover: string, attempt: Required<KnownAttempts>, now: string): ProofRequestStatus {
  const carried = carryOver(previous, generation, attempt);
  return {
    observedGeneration: generation,
    phase: 'Running',
    conditions: mergeConditions(
      previous?.conditions,
      [{ type: 'Succeeded', status: 'Unknown', reason: 'Running', message: `dispatched to prover ${prover} (attempt ${carried.attempts})`, observedGeneration: generation }],
      now,
    ),
    attempts: carried.attempts,
    startTime: carried.startTime ?? attempt.startTime,
  };
}

function buildResult(response: ProveResponse, prover: string): ProofResult {
  // Copied field by field: only what the schema knows, so unknown prover fields never break a status write.
  const r = response;
  return {
    ok: r.ok,
    ...(r.kernelHash === undefined ? {} : { kernelHash: r.kernelHash }),
    ...(r.backend === undefined ? {} : { backend: r.backend }),
    prover,
    ...(r.durationMs === undefined ? {} : { durationMs: Math.max(0, Math.round(r.durationMs)) }),
    ...(r.digest === undefined ? {} : { digest: r.digest }),
    ...(r.cached === undefined ? {} : { cached: r.cached }),
    ...(r.statement === undefined ? {} : { statement: truncateText(r.statement, 65536) }),
    ...(r.atoms === undefined ? {} : { atoms: { ...r.atoms } }),
    ...(r.assumptions === undefined ? {} : { assumptions: r.assumptions.slice(0, 64).map((a) => truncateText(a, 512)) }),
    messages: boundMessages(r.messages ?? []),
    ...(r.countermodel === undefined ? {} : { countermodel: { worlds: r.countermodel.worlds.map((w) => ({ id: w.id, true: [...w.true] })), falsifiedAt: r.countermodel.falsifiedAt } }),
  };
}

function describeVerdict(response: ProveResponse): string {
  if (response.message !== undefined && response.message !== '') return response.message;
  switch (response.verdict) {
    case 'Proved':
      return 'the kernel accepted the proof';
    case 'Refuted':
      return 'a countermodel falsifies the goal';
    case 'Rejected':
      return 'the request can never be checked';
    default:
      return response.messages?.[0] ?? 'the proof was not established';
  }
}

/** The final status for a prover's verdict. */
export function buildVerdictStatus(previous: ProofRequestStatus | undefined, generation: number, response: ProveResponse, prover: string, now: string, known?: KnownAttempts): ProofRequestStatus {
  const proved = response.verdict === 'Proved';
  const reason = sanitizeReason(response.reason ?? response.verdict, response.verdict);
  const carried = carryOver(previous, generation, known);
  return {
    observedGeneration: generation,
    phase: toVerdictPhase(response.verdict) ?? 'Failed',
    conditions: mergeConditions(
      previous?.conditions,
      [{ type: 'Succeeded', status: proved ? 'True' : 'False', reason, message: truncateText(describeVerdict(response), 4096), observedGeneration: generation }],
      now,
    ),
    attempts: Math.max(carried.attempts, 1),
    startTime: carried.startTime ?? now,
    completionTime: now,
    result: buildResult(response, prover),
  };
}

/** The final status when infrastructure failed on every allowed attempt. */
export function buildErrorStatus(previous: ProofRequestStatus | undefined, generation: number, reason: string, message: string, now: string, known?: KnownAttempts): ProofRequestStatus {
  const carried = carryOver(previous, generation, known);
  return {
    observedGeneration: generation,
    phase: 'Error',
    conditions: mergeConditions(
      previous?.conditions,
      [{ type: 'Succeeded', status: 'False', reason: sanitizeReason(reason, 'Error'), message: truncateText(message, 4096), observedGeneration: generation }],
      now,
    ),
    attempts: carried.attempts,
    ...(carried.startTime === undefined ? {} : { startTime: carried.startTime }),
    completionTime: now,
  };
}
