/**
 * Which granules a booking claims. The database holds one uniquely indexed claim per (tutor, granule) and
 * per (student, granule); inserting them is what makes two racing bookings on different replicas collide.
 * For that to be exactly the conflict rule the scheduler checks, all three places (openSlots, checkBooking
 * and the claims) go through tutorBlockedInterval below.
 */
import { MINUTE_MS, type Interval, overlaps, widen } from './intervals'
import { GRANULE_MINUTES, type BookingPolicy } from './policy'

export const GRANULE_MS = GRANULE_MINUTES * MINUTE_MS

/**
 * The tutor's time an appointment takes up: the session plus the buffers before and after it.
 * Two tutor bookings conflict exactly when these overlap, so with 15-minute buffers on both sides
 * consecutive sessions end up 30 minutes apart (the first one's after-buffer plus the second one's
 * before-buffer). That is intended: each buffer is the tutor's own preparation or wrap-up time for that
 * session, and they are not shared between sessions.
 */
export function tutorBlockedInterval(appointment: Interval, policy: BookingPolicy): Interval {
  return widen(appointment, policy.bufferBeforeMinutes * MINUTE_MS, policy.bufferAfterMinutes * MINUTE_MS)
}

/** True when the two tutor appointments cannot both stand under this policy. */
export function tutorBookingsConflict(a: Interval, b: Interval, policy: BookingPolicy): boolean {
  return overlaps(tutorBlockedInterval(a, policy), tutorBlockedInterval(b, policy))
}

/** Students get no buffers: they only must not be in two sessions at once. */
export function studentClaimInterval(appointment: Interval): Interval {
  return { start: appointment.start, end: appointment.end }
}

export function isGranuleAligned(ms: number): boolean {
  return Number.isInteger(ms) && ms % GRANULE_MS === 0
}

/**
 * The start instant of every granule in [start, end). Both bounds must be granule aligned: if they were not,
 * two intervals could overlap inside a granule that only one of them claims, and the unique index would miss it.
 */
export function claimGranules(interval: Interval): number[] {
  if (!isGranuleAligned(interval.start) || !isGranuleAligned(interval.end)) {
    throw new RangeError(
      `Claim bounds must be multiples of ${GRANULE_MINUTES} minutes since the epoch; got ${describeInstant(interval.start)}–${describeInstant(interval.end)}.`,
    )
  }
  const granules: number[] = []
  for (let granule = interval.start; granule < interval.end; granule += GRANULE_MS) granules.push(granule)
  return granules
}

function describeInstant(ms: number): string {
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString()
}
