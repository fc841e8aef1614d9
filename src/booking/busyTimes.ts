import type { Payload } from 'payload'

import type { Interval } from '../scheduling'
import { CalendarCache, type BookedInterval, type Party } from './calendarCache'
import { mongoDb } from '../storage/db'

export const ACTIVE_STATUS = 'booked'

/** Longest a session can be: looking this far back catches every appointment still running at `since`. */
const LOOKBEHIND_MS = 8 * 60 * 60 * 1000

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
        { status: { equals: ACTIVE_STATUS } },
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
