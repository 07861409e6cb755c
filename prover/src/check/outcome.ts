// Building check outcomes, with Coq's messages trimmed to the limits of API §1.
import type { Backend, CheckOutcome, Verdict } from './types.js';

/** Limits on the messages kept in an outcome, in UTF-8 bytes. */
export const messageLimits = { each: 1024, total: 8192 } as const;

/** Cuts text to at most `bytes` UTF-8 bytes without splitting a character, marking the cut. */
export function truncateUtf8(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= bytes) return text;
  const marker = '…';
  let cut = bytes - Buffer.byteLength(marker);
  // Step back over UTF-8 continuation bytes so no character is split.
  while (cut > 0 && ((encoded[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return encoded.subarray(0, cut).toString('utf8') + marker;
}

/** Keeps messages within the limits: each at most 1 KiB, all together at most 8 KiB. */
export function trimMessages(messages: readonly string[]): string[] {
  const kept: string[] = [];
  let total = 0;
  for (const message of messages) {
    const trimmed = truncateUtf8(message, messageLimits.each);
    const size = Buffer.byteLength(trimmed);
    if (total + size > messageLimits.total) break;
    kept.push(trimmed);
    total += size;
  }
  return kept;
}

/** An outcome without the fields the engine fills in (backend, duration). */
export interface Conclusion {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly message: string;
  readonly messages?: readonly string[];
  readonly assumptions?: readonly string[];
}

/** Completes a conclusion into an outcome, trimming messages. */
export function toOutcome(finding: Conclusion, backend: Backend, durationMs: number): CheckOutcome {
  return {
    verdict: finding.verdict,
    reason: finding.reason,
    message: truncateUtf8(finding.message, messageLimits.each),
    messages: trimMessages(finding.messages ?? []),
    assumptions: finding.assumptions ?? [],
    backend,
    durationMs,
  };
}
