import type { Payload } from 'payload'

import type { Tutor } from '../payload-types'
import { mongoDb } from '../storage/db'
import { StampedCache, type Stamped } from '../storage/stampedCache'

/**
 * Tutor documents for the hot paths (slot search, booking), cached per replica and validated by the tutor's
 * change stamp (stampedCache.ts), which the Tutors collection rewrites after every save or delete
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
