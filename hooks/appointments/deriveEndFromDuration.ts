import type { CollectionBeforeValidateHook } from 'payload'

import { sessionEnd } from '../../src/scheduling'

/** Booking clients send a start and a duration in minutes; the stored appointment has a start and an end. */
export const deriveEndFromDuration: CollectionBeforeValidateHook = ({ data }) => {
  if (!data || data.end || data.duration === undefined) return data
  const { duration, ...rest } = data as typeof data & { duration?: unknown }
  const start = Date.parse(String(rest.start))
  const minutes = Number(duration)
  if (!Number.isFinite(start) || !Number.isFinite(minutes)) return rest
  return { ...rest, end: new Date(sessionEnd(start, minutes)).toISOString() }
}
