// A bounded least-recently-used map for verdicts keyed by digest.

/** A bounded LRU cache: reads refresh an entry, inserts beyond capacity evict the least recent. */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();

  /** Creates a cache of at most `capacity` entries; capacity 0 stores nothing. */
  constructor(readonly capacity: number) {}

  /** Returns the value and marks it most recently used. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order, so re-inserting moves the key to the most recent end.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Stores a value, evicting the least recently used entries beyond capacity. */
  set(key: string, value: V): void {
    if (this.capacity <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** The number of entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
