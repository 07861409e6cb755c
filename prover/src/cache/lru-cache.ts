// A bounded least-recently-used map for verdicts keyed by digest, bounded by entries and by weight (bytes).

/** Bounds of an LRU cache. */
export interface LruBounds<V> {
  /** Most entries held; 0 stores nothing. */
  readonly capacity: number;
  /** Most total weight held (e.g. bytes); an entry heavier than a sixteenth of it is not stored. */
  readonly maxWeight?: number;
  /** The weight of one value; 1 by default. */
  readonly weigh?: (value: V) => number;
}

/** A bounded LRU cache: reads refresh an entry, inserts beyond the bounds evict the least recent. */
export class LruCache<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly weight: number }>();
  readonly #capacity: number;
  readonly #maxWeight: number;
  readonly #weigh: (value: V) => number;
  #weight = 0;

  /** Creates a cache with the given bounds. */
  constructor(bounds: LruBounds<V>) {
    this.#capacity = bounds.capacity;
    this.#maxWeight = bounds.maxWeight ?? Infinity;
    this.#weigh = bounds.weigh ?? (() => 1);
  }

  /** Returns the value and marks it most recently used. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // Map keeps insertion order, so re-inserting moves the key to the most recent end.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores a value, evicting the least recently used entries beyond the bounds. */
  set(key: string, value: V): void {
    if (this.#capacity <= 0) return;
    const weight = this.#weigh(value);
    // One huge entry must not flush the whole cache.
    if (weight > this.#maxWeight / 16) return;
    this.#remove(key);
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    while (this.#entries.size > this.#capacity || this.#weight > this.#maxWeight) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#remove(oldest.value);
    }
  }

  /** The number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The total weight held. */
  get weight(): number {
    return this.#weight;
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }
}
