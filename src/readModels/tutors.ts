import type { Payload } from 'payload'

import type { Tutor } from '../payload-types'
import { resolveBookingPolicy, type Interval, type TutorSchedule, type WeeklyRule } from '../scheduling'
import { mongoDb } from '../storage/db'
import { StampedCache, type Stamped } from '../storage/stampedCache'

/**
 * Tutor documents for the hot paths (slot search, booking), cached per replica and validated by the tutor's
 * change stamp (src/storage/stampedCache.ts), which the Tutors collection rewrites after every save or delete
 * (hooks/tutors/markTutorChanged.ts). A read costs one stamp read by `_id` instead of a document load.
 */
const stampKey = (id: string) => `tutorProfile:${id}`
const caches = new WeakMap<Payload, StampedCache<Tutor | null>>()

function cacheFor(payload: Payload): StampedCache<Tutor | null> {
  let cache = caches.get(payload)
  if (!cache) {
    cache = new StampedCache(mongoDb(payload), async (key) => {
      const id = key.slice(key.indexOf(':') + 1)
      return (await payload.db.findOne({ collection: 'tutors', where: { id: { equals: id } } })) as Tutor | null
    })
    caches.set(payload, cache)
  }
  return cache
}

/** The tutor as stored (depth 0, no access checks), or null. Shared between requests: do not mutate it. */
export function cachedTutor(payload: Payload, id: string): Promise<Tutor | null> {
  return cacheFor(payload).get(stampKey(id))
}

/** The same, with the stamp it is current for. */
export function cachedTutorStamped(payload: Payload, id: string): Promise<Stamped<Tutor | null>> {
  return cacheFor(payload).getStamped(stampKey(id))
}

export function markTutorChanged(payload: Payload, id: string): Promise<void> {
  return cacheFor(payload).touch(stampKey(id))
}

/** The scheduler's view of a tutor document. */
export function tutorScheduleFromDoc(tutor: Tutor): TutorSchedule {
  return {
    name: tutor.name,
    timeZone: tutor.timeZone,
    weeklyRules: (tutor.weeklyAvailability ?? []).map((rule) => ({ day: rule.day, start: rule.start, end: rule.end }) as WeeklyRule),
    dateOverrides: (tutor.dateOverrides ?? []).map((override) => ({
      date: override.date,
      ranges: (override.ranges ?? []).map((range) => ({ start: range.start, end: range.end })),
    })),
    timeOff: (tutor.timeOff ?? [])
      .map((off) => ({ start: new Date(off.start).getTime(), end: new Date(off.end).getTime() }))
      .filter((off) => Number.isFinite(off.start) && Number.isFinite(off.end) && off.end > off.start),
    policy: resolveBookingPolicy(tutor.policy ?? {}),
    sessionLengths: (tutor.sessionLengths ?? []).filter((length): length is number => typeof length === 'number'),
  }
}

export function intervalOf(doc: { start: string; end: string }): Interval {
  return { start: new Date(doc.start).getTime(), end: new Date(doc.end).getTime() }
}
