/** Just enough of Kubernetes resource quantities for `resourceFieldRef` (cpu and memory with a divisor). */

const suffixes: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Parses a quantity such as `500m`, `4Gi` or `2` to a number, or undefined when malformed. */
export function parseQuantity(value: string): number | undefined {
  const match = /^([+-]?\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (match === null) {
    return undefined;
  }
  const factor = suffixes[match[2] ?? ''];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}
