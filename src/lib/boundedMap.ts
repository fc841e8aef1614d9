/**
 * A Map that forgets its least recently used entries beyond `maxEntries` and, when `weigh` is given, beyond a
 * total weight of `maxWeight` (e.g. intervals or bytes): per-replica caches stay bounded in memory, not only in count.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>()
  private totalWeight = 0

  constructor(
    private readonly maxEntries: number,
    private readonly bound: { maxWeight: number; weigh: (value: V) => number } | undefined = undefined,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (entry !== undefined) {
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(key)
      this.entries.set(key, entry)
    }
    return entry?.value
  }

  set(key: K, value: V): void {
    this.delete(key)
    const weight = this.bound ? this.bound.weigh(value) : 0
    // A value heavier than the whole bound is not kept at all (it would evict everything else).
    if (this.bound && weight > this.bound.maxWeight) return
    this.entries.set(key, { value, weight })
    this.totalWeight += weight
    while (this.entries.size > this.maxEntries || (this.bound && this.totalWeight > this.bound.maxWeight)) {
      this.delete(this.entries.keys().next().value as K)
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    this.entries.delete(key)
    this.totalWeight -= entry.weight
  }

  get size(): number {
    return this.entries.size
  }

  get weight(): number {
    return this.totalWeight
  }
}
