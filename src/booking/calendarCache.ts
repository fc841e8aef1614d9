import { randomUUID } from 'node:crypto'

import type { Collection, Db } from 'mongodb'

import type { Interval } from '../scheduling'

/**
 * Per-replica cache of a tutor's (or student's) booked time, validated on every read.
 *
 * Why: on FerretDB 1.24 only `_id` equality is pushed down to storage; every other filter (even an indexed
 * range on `start`) scans the whole collection, so a slot search would cost more the more appointments exist.
 * Each party has a stamp document (`_id` = "tutor:<id>"), rewritten with a fresh random value after every
 * change to that party's appointments. A read fetches the stamp by `_id` (cheap everywhere) and reuses the
 * cached intervals only when the stamp is unchanged; otherwise it reloads them with the indexed query (cheap
 * on MongoDB, a scan on FerretDB). Because the stamp is written after the appointment is saved and read
 * before the intervals are loaded, a cached entry is never older than its stamp: reads are as fresh as a
 * direct query. Nothing here decides a booking — the claims do — so the cache is an optimisation only.
 */
export const CALENDAR_STAMPS_COLLECTION = 'calendar_stamps'
const MAX_ENTRIES = 2_000

type StampDocument = { _id: string; stamp: string }
export type BookedInterval = Interval & { id: string }
type Entry = { stamp: string; intervals: BookedInterval[] }

export type Party = 'tutor' | 'student'

export class CalendarCache {
  private readonly stamps: Collection<StampDocument>
  private readonly entries = new Map<string, Entry>()

  constructor(
    db: Db,
    private readonly load: (party: Party, id: string) => Promise<BookedInterval[]>,
  ) {
    this.stamps = db.collection<StampDocument>(CALENDAR_STAMPS_COLLECTION)
  }

  /** The party's booked intervals (raw sessions, no buffers) from shortly before now onwards. */
  async bookedIntervals(party: Party, id: string): Promise<BookedInterval[]> {
    const key = `${party}:${id}`
    const stampDoc = await this.stamps.findOne({ _id: key })
    const stamp = stampDoc?.stamp ?? 'none'
    const cached = this.entries.get(key)
    if (cached && cached.stamp === stamp) {
      // Refresh recency for the LRU order.
      this.entries.delete(key)
      this.entries.set(key, cached)
      return cached.intervals
    }
    const intervals = await this.load(party, id)
    this.entries.set(key, { stamp, intervals })
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string)
    return intervals
  }

  /** Marks the party's calendar as changed; call after the appointment write is saved. */
  async touch(party: Party, id: string): Promise<void> {
    await touchCalendar(this.stamps, `${party}:${id}`)
  }
}

/** Last writer wins, which is all a change marker needs: any new random value invalidates every cache. */
async function touchCalendar(stamps: Collection<StampDocument>, key: string): Promise<void> {
  const stamp = randomUUID()
  const updated = await stamps.updateOne({ _id: key }, { $set: { stamp } })
  if (updated.matchedCount > 0) return
  try {
    await stamps.insertOne({ _id: key, stamp })
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error
    await stamps.updateOne({ _id: key }, { $set: { stamp } })
  }
}
