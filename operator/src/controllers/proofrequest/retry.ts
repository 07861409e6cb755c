// Back-off between attempts on infrastructure errors, as a pure function.

/** The delay before attempt `attempt + 1`: 1 s doubling, capped at 30 s, or the prover's Retry-After when longer. */
export function computeRetryDelayMs(attempt: number, retryAfterMs: number | undefined): number {
  const exponential = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.max(exponential, retryAfterMs ?? 0);
}
