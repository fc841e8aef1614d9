import type { Db } from 'mongodb'

import type { Interval } from '../scheduling'
import { StampedCache, type Stamped } from '../storage/stampedCache'

/**
 * Per-replica cache of a tutor's (or student's) booked time, validated on every read by the party's change
 * stamp (`_id` = "tutor:<id>" / "student:<id>", see stampedCache.ts).
 *
 * Why: a slot search must not cost more the more appointments exist, and on FerretDB the indexed range query
 * that loads them is a collection scan. With the cache a search reads one stamp by `_id`; the range query runs
 * only after a change. Nothing here decides a booking — the claims do — so the cache is an optimisation only.
 */
export type BookedInterval = Interval & { id: string }

export type Party = 'tutor' | 'student'

export class CalendarCache {
  private readonly cache: StampedCache<BookedInterval[]>

  constructor(db: Db, load: (party: Party, id: string) => Promise<BookedInterval[]>) {
    this.cache = new StampedCache(db, (key) => {
      const [party, id] = key.split(':') as [Party, string]
      return load(party, id)
    })
  }

  /** The party's booked intervals (raw sessions, no buffers) from shortly before now onwards. */
  bookedIntervals(party: Party, id: string): Promise<BookedInterval[]> {
    return this.cache.get(`${party}:${id}`)
  }

  /** The same, with the stamp they are current for. */
  bookedIntervalsStamped(party: Party, id: string): Promise<Stamped<BookedInterval[]>> {
    return this.cache.getStamped(`${party}:${id}`)
  }

  /** Marks several parties' calendars as changed in one round trip; call after the appointment write is saved. */
  touchMany(parties: readonly { party: Party; id: string }[]): Promise<void> {
    return this.cache.touchMany(parties.map(({ party, id }) => `${party}:${id}`))
  }

  /** Marks the party's calendar as changed; call after the appointment write is saved. */
  touch(party: Party, id: string): Promise<void> {
    return this.cache.touch(`${party}:${id}`)
  }
}
