import type { Endpoint } from 'payload'
import { z } from 'zod'

import type { Tutor } from '../../payload-types'
import { DAY_MS, durationProblem, formatLocalRange, isValidTimeZone, MINUTE_MS, openSlots } from '../../scheduling'
import { BookingError } from '../bookingErrors'
import { busyIntervals } from '../busyTimes'
import { tutorScheduleFromDoc } from '../tutorSchedule'
import { documentId, durationMinutes, isoInstant, parseOrRefuse } from './requestBody'

export const MAX_AVAILABILITY_RANGE_DAYS = 31
const DEFAULT_RANGE_DAYS = 7

const availabilityQuery = z.object({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  duration: durationMinutes.optional(),
  tz: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as America/Los_Angeles')
    .optional(),
})

/**
 * GET /api/tutors/:id/availability?from&to&duration&tz — public. Open slots as UTC instants, with labels in
 * `tz` when given. Two database reads whatever the range: the tutor, and their booked sessions in range.
 */
export const tutorAvailabilityEndpoint: Endpoint = {
  path: '/:id/availability',
  method: 'get',
  handler: async (req) => {
    const id = parseOrRefuse(documentId, req.routeParams?.id)
    const raw = Object.fromEntries(new URL(req.url ?? 'http://localhost').searchParams)
    const query = parseOrRefuse(availabilityQuery, raw)
    const now = Date.now()
    const from = query.from ?? now
    const to = query.to ?? from + DEFAULT_RANGE_DAYS * DAY_MS
    if (to <= from) throw new BookingError('INVALID_REQUEST', '"to" must be after "from".', 'to')
    if (to - from > MAX_AVAILABILITY_RANGE_DAYS * DAY_MS) {
      throw new BookingError('INVALID_REQUEST', `Ask for at most ${MAX_AVAILABILITY_RANGE_DAYS} days at a time.`, 'to')
    }
    const tutor = (await req.payload.findByID({
      collection: 'tutors',
      id,
      depth: 0,
      overrideAccess: false,
      disableErrors: true,
      req,
    })) as Tutor | null
    if (!tutor) return Response.json({ errors: [{ message: `No tutor "${id}".`, data: { code: 'TUTOR_NOT_FOUND' } }] }, { status: 404 })

    const schedule = tutorScheduleFromDoc(tutor)
    const duration = query.duration ?? schedule.sessionLengths[0] ?? 60
    const problem = durationProblem(schedule, duration, true)
    if (problem) throw new BookingError('INVALID_DURATION', problem, 'duration')

    const pairMs = (schedule.policy.bufferBeforeMinutes + schedule.policy.bufferAfterMinutes) * MINUTE_MS
    const busy = await busyIntervals(req.payload, { party: 'tutor', partyId: id, range: { start: from - pairMs, end: to + pairMs }, req })
    const slots = tutor.active ? openSlots({ tutor: schedule, busy, range: { start: from, end: to }, durationMinutes: duration, now }) : []
    return Response.json({
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
    })
  },
}
