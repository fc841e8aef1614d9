import type { Db } from 'mongodb'
import type { Payload } from 'payload'

import { BOOKED, MAX_SESSION_MS, type Interval } from '../scheduling'
import { StampedCache, type Stamped } from '../storage/stampedCache'
import { mongoDb } from '../storage/db'

/**
 * Per-replica cache of a tutor's (or student's) booked time, validated on every read by the party's change
 * stamp (`_id` = "tutor:<id>" / "student:<id>", see src/storage/stampedCache.ts).
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
}

/** Longest a session can be: looking this far back catches every appointment still running at `since`. */
const LOOKBEHIND_MS = MAX_SESSION_MS

/**
 * A party's booked sessions from `since` on, as raw intervals: one indexed range query (party + status +
 * start). Uses the adapter directly (no hooks, no access checks): this is internal bookkeeping.
 */
export async function loadBookedIntervals(payload: Payload, party: Party, partyId: string, since: number): Promise<BookedInterval[]> {
  const result = await payload.db.find({
    collection: 'appointments',
    where: {
      and: [
        { [party]: { equals: partyId } },
        { status: { equals: BOOKED } },
        { start: { greater_than_equal: new Date(since - LOOKBEHIND_MS).toISOString() } },
      ],
    },
    select: { start: true, end: true },
    pagination: false,
    limit: 0,
  })
  return (result.docs as { id: string | number; start: string; end: string }[])
    .map((doc) => ({ id: String(doc.id), start: Date.parse(doc.start), end: Date.parse(doc.end) }))
    .filter((interval) => interval.end > since)
}

/** How far back the cached calendars reach: enough for any slot search or booking starting now. */
const CACHE_SINCE_MS = 24 * 60 * 60 * 1000

const caches = new WeakMap<Payload, CalendarCache>()

export function calendarCacheFor(payload: Payload): CalendarCache {
  let cache = caches.get(payload)
  if (!cache) {
    cache = new CalendarCache(mongoDb(payload), (party, id) => loadBookedIntervals(payload, party, id, Date.now() - CACHE_SINCE_MS))
    caches.set(payload, cache)
  }
  return cache
}

/** Booked sessions of one tutor or student that may touch `range` (a range starting before yesterday is clipped). */
export async function busyIntervals(payload: Payload, party: Party, partyId: string, range: Interval, excludeAppointmentId?: string | number): Promise<Interval[]> {
  const intervals = await calendarCacheFor(payload).bookedIntervals(party, partyId)
  const excluded = excludeAppointmentId === undefined ? undefined : String(excludeAppointmentId)
  return intervals.filter((interval) => interval.start < range.end && interval.end > range.start && interval.id !== excluded)
}
