// The `result` object of API §1 plus `verdict`, and how an engine outcome becomes one.
import type { Backend, CheckOutcome, Verdict } from '../check/types.js';
import type { Countermodel } from './goal.js';

/** The part of a result that the pipeline decides; identity and timing are added around it. */
export interface Decision {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly message: string;
  readonly statement: string;
  readonly atoms: Readonly<Record<string, number>>;
  readonly assumptions: readonly string[];
  readonly messages: readonly string[];
  readonly countermodel?: Countermodel;
}

/** The answer to one proof request: API §1's `result` plus the verdict (the phase). */
export interface ProveResult extends Decision {
  readonly ok: boolean;
  readonly kernelHash: string;
  readonly backend: Backend;
  readonly prover: string;
  readonly durationMs: number;
  readonly digest: string;
  readonly cached: boolean;
}

const messageLimitBytes = 1024;
const messagesLimitBytes = 8 * 1024;
const messagesLimitCount = 32;

/** Builds a decision from what the engine concluded about a statement. */
export function decideFromOutcome(outcome: CheckOutcome, statement: string, atoms: Readonly<Record<string, number>>): Decision {
  return {
    verdict: outcome.verdict,
    reason: outcome.reason,
    message: outcome.message,
    statement,
    atoms,
    assumptions: outcome.assumptions,
    messages: outcome.messages,
  };
}

/** Tells whether a decision is the same whenever the same request is checked again, and may be cached. */
export function isDeterministic(decision: Decision): boolean {
  if (decision.verdict === 'Error') return false;
  // The derivation search has a wall-clock bound, so "not found" may change with load: retries deserve a fresh search.
  return decision.reason !== 'Timeout' && decision.reason !== 'NoDerivationFound';
}

/** Keeps each message within 1 KiB, all of them within 8 KiB and at most 32 of them, as API §1 and the CRD promise. */
export function trimMessages(messages: readonly string[]): string[] {
  const kept: string[] = [];
  let total = 0;
  for (const message of messages) {
    const trimmed = truncateUtf8(message, messageLimitBytes);
    const size = Buffer.byteLength(trimmed);
    if (total + size > messagesLimitBytes || kept.length >= messagesLimitCount) break;
    kept.push(trimmed);
    total += size;
  }
  return kept;
}

/** Truncates a string to at most `limit` UTF-8 bytes without splitting a character, marking the cut with "…". */
export function truncateUtf8(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  const ellipsis = '…';
  let bytes = Buffer.byteLength(ellipsis);
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > limit) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end) + ellipsis;
}
