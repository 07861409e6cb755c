/** Restart back-off for crashed containers: doubling, capped, so a crash loop never turns hot. */

/** The first restart delay; the kubelet uses 10 s, shorter here so tests of restarts stay quick. */
export const initialBackoffMs = 1_000;

/** The longest delay between restarts (the kubelet caps at 5 minutes). */
export const maxBackoffMs = 60_000;

/** A container that ran this long before exiting starts its back-off over. */
export const backoffResetAfterMs = 2 * maxBackoffMs;

/** The delay before restart number `crashes` (1-based) of a container. */
export function computeBackoffMs(crashes: number): number {
  const exponent = Math.max(0, crashes - 1);
  return Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(exponent, 20));
}
