/** A Map that forgets its least recently used entry beyond `maxEntries`: per-replica caches stay bounded. */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(private readonly maxEntries: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }

  set(key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K)
  }

  get size(): number {
    return this.entries.size
  }
}
