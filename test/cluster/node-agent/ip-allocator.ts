/**
 * Pod IPs from 127.42.0.0/16: Linux routes all of 127.0.0.0/8 to the loopback interface, so a
 * process can bind any of these addresses without configuration and no traffic leaves the host.
 */

/** The Pod network; loopback only, never another range. */
export const podCidr = '127.42.0.0/16';

const firstOffset = 2;
const lastOffset = 256 * 256 - 2;

/** Thrown when every address of the Pod network is taken. */
export class PodNetworkExhaustedError extends Error {
  override readonly name = 'PodNetworkExhaustedError';
}

/** Converts an offset inside 127.42.0.0/16 to its dotted address. */
export function formatPodIp(offset: number): string {
  return `127.42.${Math.floor(offset / 256)}.${offset % 256}`;
}

/** Returns the offset of an address inside 127.42.0.0/16, or undefined when it lies outside. */
export function parsePodIp(ip: string): number | undefined {
  const match = /^127\.42\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (match === null) {
    return undefined;
  }
  const high = Number(match[1]);
  const low = Number(match[2]);
  return high < 256 && low < 256 ? high * 256 + low : undefined;
}

/** Hands out Pod IPs next-fit, so a freed address is not reused at once (stale endpoints fade first). */
export class IpAllocator {
  private readonly used = new Set<number>();
  private cursor = firstOffset;

  /** Marks an address as taken, e.g. one recovered from the state dir after a restart. */
  reserve(ip: string): boolean {
    const offset = parsePodIp(ip);
    if (offset === undefined || this.used.has(offset)) {
      return false;
    }
    this.used.add(offset);
    return true;
  }

  /** Takes the next free address. */
  allocate(): string {
    for (let tried = 0; tried <= lastOffset; tried += 1) {
      const offset = this.cursor;
      this.cursor = offset >= lastOffset ? firstOffset : offset + 1;
      const low = offset % 256;
      if (low !== 0 && low !== 255 && !this.used.has(offset)) {
        this.used.add(offset);
        return formatPodIp(offset);
      }
    }
    throw new PodNetworkExhaustedError(`every address of ${podCidr} is taken`);
  }

  /** Returns an address to the pool. */
  release(ip: string): void {
    const offset = parsePodIp(ip);
    if (offset !== undefined) {
      this.used.delete(offset);
    }
  }
}
