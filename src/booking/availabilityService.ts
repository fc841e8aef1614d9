import type { Payload } from 'payload'
import { z } from 'zod'

import type { Tutor } from '../payload-types'
import { DAY_MS, durationProblem, formatLocalRange, isValidTimeZone, MINUTE_MS, openSlots } from '../scheduling'
import { BookingError } from './bookingErrors'
import { busyIntervals } from './busyTimes'
import { tutorScheduleFromDoc } from './tutorSchedule'
import { documentId, durationMinutes, isoInstant, parseOrRefuse } from './endpoints/requestBody'

export const MAX_AVAILABILITY_RANGE_DAYS = 31
const DEFAULT_RANGE_DAYS = 7

const availabilityQuery = z.object({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  duration: durationMinutes.optional(),
  tz: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as America/Los_Angeles').optional(),
})

export type AvailabilityAnswer = { status: number; body: unknown }

/**
 * The open slots of one tutor, for the public. Two reads by `_id` whatever the range or the number of
 * appointments: the tutor, and the stamp of their cached calendar (see calendarCache.ts).
 */
export async function tutorAvailability(
  payload: Payload,
  tutorIdParam: unknown,
  rawQuery: Record<string, unknown>,
  options: { includeInactive?: boolean; now?: number } = {},
): Promise<AvailabilityAnswer> {
  const id = parseOrRefuse(documentId, tutorIdParam)
  const query = parseOrRefuse(availabilityQuery, rawQuery)
  const now = options.now ?? Date.now()
  const from = query.from ?? now
  const to = query.to ?? from + DEFAULT_RANGE_DAYS * DAY_MS
  if (to <= from) throw new BookingError('INVALID_REQUEST', '"to" must be after "from".', 'to')
  if (to - from > MAX_AVAILABILITY_RANGE_DAYS * DAY_MS) {
    throw new BookingError('INVALID_REQUEST', `Ask for at most ${MAX_AVAILABILITY_RANGE_DAYS} days at a time.`, 'to')
  }
  const tutor = (await payload.db.findOne({ collection: 'tutors', where: { id: { equals: id } } })) as Tutor | null
  if (!tutor || (!tutor.active && !options.includeInactive)) {
    return { status: 404, body: { errors: [{ message: `No tutor "${id}".`, data: { code: 'TUTOR_NOT_FOUND' } }] } }
  }

  const schedule = tutorScheduleFromDoc(tutor)
  const duration = query.duration ?? schedule.sessionLengths[0] ?? 60
  const problem = durationProblem(schedule, duration, true)
  if (problem) throw new BookingError('INVALID_DURATION', problem, 'duration')

  const pairMs = (schedule.policy.bufferBeforeMinutes + schedule.policy.bufferAfterMinutes) * MINUTE_MS
  const busy = await busyIntervals(payload, 'tutor', id, { start: from - pairMs, end: to + pairMs })
  const slots = tutor.active ? openSlots({ tutor: schedule, busy, range: { start: from, end: to }, durationMinutes: duration, now }) : []
  return {
    status: 200,
    body: {
      tutor: { id: tutor.id, name: tutor.name, timeZone: tutor.timeZone, active: tutor.active },
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      duration,
      sessionLengths: schedule.sessionLengths,
      timeZone: query.tz ?? null,
      slots: slots.map((slot) => ({
        start: new Date(slot.start).toISOString(),
        end: new Date(slot.end).toISOString(),
        ...(query.tz ? { label: formatLocalRange(slot.start, slot.end, query.tz) } : {}),
      })),
    },
  }
}
