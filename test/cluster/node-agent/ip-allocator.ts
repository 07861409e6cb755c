/**
 * Pod IPs from 127.42.0.0/16: Linux routes all of 127.0.0.0/8 to the loopback interface, so a
 * process can bind any of these addresses without configuration and no traffic leaves the host.
 */

/** The Pod network; loopback only, never another range. */
export const podCidr = '127.42.0.0/16';

/** Offsets (from 127.42.0.0) an allocator may hand out; a sub-range lets a second agent share the network. */
export interface PodIpRange {
  readonly first: number;
  readonly last: number;
}

/** The whole Pod network, minus the network and broadcast-looking ends. */
export const fullRange: PodIpRange = { first: 2, last: 256 * 256 - 2 };

/** Thrown for a --pod-cidr that is not a block inside 127.42.0.0/16. */
export class PodCidrError extends Error {
  override readonly name = 'PodCidrError';
}

/** Parses a CIDR block inside 127.42.0.0/16 (prefix 16 to 28) into the offsets it covers. */
export function parsePodCidr(cidr: string): PodIpRange {
  const match = /^(127\.42\.\d{1,3}\.\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const base = match === null ? undefined : parsePodIp(match[1] ?? '');
  const prefix = Number(match?.[2]);
  if (base === undefined || !(prefix >= 16 && prefix <= 28)) {
    throw new PodCidrError(`--pod-cidr must be a block inside ${podCidr} with prefix /16 to /28, got "${cidr}"`);
  }
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    throw new PodCidrError(`--pod-cidr ${cidr}: the address is not the start of a /${String(prefix)} block`);
  }
  return { first: Math.max(base, fullRange.first), last: Math.min(base + size - 1, fullRange.last) };
}

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
  private cursor: number;

  constructor(private readonly range: PodIpRange = fullRange) {
    this.cursor = range.first;
  }

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
    for (let tried = 0; tried <= this.range.last - this.range.first; tried += 1) {
      const offset = this.cursor;
      this.cursor = offset >= this.range.last ? this.range.first : offset + 1;
      const low = offset % 256;
      if (low !== 0 && low !== 255 && !this.used.has(offset)) {
        this.used.add(offset);
        return formatPodIp(offset);
      }
    }
    throw new PodNetworkExhaustedError(`every Pod address of ${formatPodIp(this.range.first)}–${formatPodIp(this.range.last)} is taken`);
  }

  /** Returns an address to the pool. */
  release(ip: string): void {
    const offset = parsePodIp(ip);
    if (offset !== undefined) {
      this.used.delete(offset);
    }
  }
}
