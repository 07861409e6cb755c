// Exponential back-off math shared by the work queue and the informer restarts.

/** Parameters of an exponential back-off: the first delay and the cap. */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** The work queue's per-key back-off: 5 ms doubling up to 5 minutes, as controller-runtime does. */
export const defaultQueueBackoff: BackoffOptions = { baseMs: 5, maxMs: 5 * 60 * 1000 };

/** The delay before retry number `failures` (0 for the first retry): baseMs · 2^failures, capped at maxMs. */
export function computeBackoffMs(failures: number, options: BackoffOptions): number {
  if (!Number.isFinite(failures) || failures < 0) return options.baseMs;
  // Beyond 2^52 the product is no longer exact and the cap applies anyway.
  const exponent = Math.min(Math.floor(failures), 52);
  return Math.min(options.baseMs * 2 ** exponent, options.maxMs);
}
