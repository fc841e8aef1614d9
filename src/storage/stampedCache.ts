import { randomUUID } from 'node:crypto'

import type { Collection, Db } from 'mongodb'

import { BoundedMap } from '../lib/boundedMap'
import { putById } from './duplicateKey'
import { SharedReads } from './sharedReads'

/**
 * A per-replica cache whose every read is validated by one read by `_id`: FerretDB 1.24 pushes down only `$eq`
 * on scalar fields, so the range queries behind the cached values scan there. MongoDB would serve them from
 * an index; the cache still saves it a round trip (docs/storage.md).
 *
 * Each cached thing has a stamp document (`_id` = its key), rewritten with a fresh random value after every
 * change to it. A read fetches the stamp and reuses the cached value only when the stamp is unchanged;
 * otherwise it loads the value again. Because the stamp is written after the change is saved and read before
 * the value is loaded, a cached value is never older than its stamp: reads are as fresh as a direct query.
 * Several replicas need no coordination: any new stamp invalidates every replica's copy.
 */
export const CHANGE_STAMPS_COLLECTION = 'change_stamps'

type StampDocument = { _id: string; stamp: string }
export type Stamped<T> = { stamp: string; value: T }

export class StampedCache<T> {
  private readonly stamps: Collection<StampDocument>
  private readonly entries: BoundedMap<string, Stamped<T>>
  /** Loads in flight by key and stamp: concurrent misses of one key at one stamp share one load. */
  private readonly loading = new Map<string, Promise<Stamped<T>>>()
  /** Concurrent stamp reads of one key share a round trip, never one that began before the caller (sharedReads.ts). */
  private readonly stampReads = new SharedReads<StampDocument | null>()
  /** How many loads this replica ran (tests assert that concurrent misses share one). */
  loads = 0

  constructor(
    db: Db,
    private readonly load: (key: string) => Promise<T>,
    maxEntries = 2_000,
  ) {
    this.stamps = db.collection<StampDocument>(CHANGE_STAMPS_COLLECTION)
    this.entries = new BoundedMap(maxEntries)
  }

  /** The value for `key`, loaded again only when its stamp changed. Callers must not mutate it. */
  async get(key: string): Promise<T> {
    return (await this.getStamped(key)).value
  }

  /** Like get, with the stamp the value is current for: results derived from it can be cached under that stamp. */
  async getStamped(key: string): Promise<Stamped<T>> {
    const stampDoc = await this.stampReads.read(key, () => this.stamps.findOne({ _id: key }))
    const stamp = stampDoc?.stamp ?? 'none'
    const cached = this.entries.get(key)
    if (cached && cached.stamp === stamp) return cached
    // A load that started after the same stamp was read is exactly as fresh as one this call would start.
    const flightKey = `${key}\u0000${stamp}`
    const inFlight = this.loading.get(flightKey)
    if (inFlight) return inFlight
    const loading = (async () => {
      this.loads++
      const entry = { stamp, value: await this.load(key) }
      this.entries.set(key, entry)
      return entry
    })().finally(() => this.loading.delete(flightKey))
    this.loading.set(flightKey, loading)
    return loading
  }

  /**
   * Marks several keys as changed in one round trip (one update command with a statement per key); keys that
   * have no stamp yet get one inserted.
   */
  async touchMany(keys: readonly string[]): Promise<void> {
    const unique = [...new Set(keys)]
    if (unique.length <= 1) {
      if (unique.length === 1) await this.touch(unique[0])
      return
    }
    const updated = await this.stamps.bulkWrite(
      unique.map((key) => ({ updateOne: { filter: { _id: key }, update: { $set: { stamp: randomUUID() } } } })),
      { ordered: false },
    )
    if (updated.matchedCount === unique.length) return
    // Some key had no stamp document yet (a first booking): the one-key path inserts it.
    await Promise.all(unique.map((key) => this.touch(key)))
  }

  /** Marks `key` as changed on every replica; call after the change is saved. */
  async touch(key: string): Promise<void> {
    // Last writer wins, which is all a change marker needs: any new random value invalidates every cache.
    const stamp = randomUUID()
    const updated = await this.stamps.updateOne({ _id: key }, { $set: { stamp } })
    if (updated.matchedCount > 0) return
    await putById(this.stamps, { _id: key, stamp })
  }
}
