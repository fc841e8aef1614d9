import { createHash } from 'node:crypto'

import type { Payload } from 'payload'
import { z } from 'zod'

import { errorBody, refusalOf } from '../http/errors'
import { DAY_MS, durationProblem, formatLocalRange, isValidTimeZone, MINUTE_MS, openSlots } from '../scheduling'
import { BookingError } from './bookingErrors'
import { BoundedMap } from '../lib/boundedMap'
import { calendarCacheFor } from '../readModels/calendars'
import { cachedTutorStamped, tutorScheduleFromDoc } from '../readModels/tutors'
import { documentId, durationMinutes, isoInstant, parseOrRefuse } from './requestSchemas'

export const MAX_AVAILABILITY_RANGE_DAYS = 31
const DEFAULT_RANGE_DAYS = 7
const MAX_CACHED_ANSWERS = 500
/** Bound on the answers' memory, in estimated bytes (a slot with its label is about 200 bytes). */
const MAX_CACHED_ANSWER_BYTES = 8 * 1024 * 1024
const answerBytes = (answer: AvailabilityAnswer) => 512 + 200 * ((answer.body as { slots?: unknown[] }).slots?.length ?? 0)

const availabilityQuery = z.object({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  duration: durationMinutes.optional(),
  tz: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as America/Los_Angeles').optional(),
})

export type AvailabilityAnswer = { status: number; body: unknown }

/**
 * Cached answers are sent many times: each is serialised, encoded and given its ETag once (a week of labelled
 * slots is ~20 kB of JSON). Encoding it per request cost a tenth of the search's CPU, and at thousands of
 * searches a second the per-request buffers held hundreds of MB of native memory between major GCs.
 */
export type SerialisedAnswer = { body: Buffer; etag: string }
const serialised = new WeakMap<AvailabilityAnswer, SerialisedAnswer>()

export function serialisedAnswer(answer: AvailabilityAnswer): SerialisedAnswer {
  let done = serialised.get(answer)
  if (!done) {
    const body = Buffer.from(JSON.stringify(answer.body))
    // The weak ETag Express would compute for the same body (so conditional requests behave the same).
    const etag = `W/"${body.length.toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`
    serialised.set(answer, (done = { body, etag }))
  }
  return done
}

const answers = new WeakMap<Payload, BoundedMap<string, AvailabilityAnswer>>()

function answerCacheFor(payload: Payload): BoundedMap<string, AvailabilityAnswer> {
  let cache = answers.get(payload)
  if (!cache) answers.set(payload, (cache = new BoundedMap(MAX_CACHED_ANSWERS, { maxWeight: MAX_CACHED_ANSWER_BYTES, weigh: answerBytes })))
  return cache
}

/**
 * The clock a slot search uses: the next whole minute. Everyone asking within one minute gets one answer
 * (which can be cached), and rounding up only ever hides a slot whose notice runs out within that minute;
 * the booking itself is checked against the exact time.
 */
export const searchClock = (now: number): number => Math.ceil(now / MINUTE_MS) * MINUTE_MS

/** Who asks: staff also see inactive tutors (with no slots); everyone else is told they do not exist. */
export type AvailabilityViewer = 'public' | 'staff'

/**
 * GET /api/tutors/:id/availability, answered the same way by both routes that serve it (the Express fast path
 * in src/server.ts and the Tutors collection's endpoint): a status and body for every outcome, refusals included.
 * Any other error (a storage outage) is thrown for the route to answer.
 */
export async function answerAvailability(
  payload: Payload,
  tutorIdParam: unknown,
  rawQuery: Record<string, unknown>,
  options: { viewer: AvailabilityViewer; now?: number },
): Promise<AvailabilityAnswer> {
  try {
    return await tutorAvailability(payload, tutorIdParam, rawQuery, { includeInactive: options.viewer === 'staff', now: options.now })
  } catch (error) {
    const refusal = refusalOf(error)
    if (refusal) return refusal
    throw error
  }
}

/**
 * The open slots of one tutor, for the public. Two reads by `_id` whatever the range or the number of
 * appointments: the change stamps of the cached tutor and of their cached calendar (see stampedCache.ts).
 * An answer is a pure function of those two stamps, the query and the search clock, so it is cached per
 * replica under exactly that key: as fresh as computing it again.
 */
export async function tutorAvailability(
  payload: Payload,
  tutorIdParam: unknown,
  rawQuery: Record<string, unknown>,
  options: { includeInactive?: boolean; now?: number } = {},
): Promise<AvailabilityAnswer> {
  const id = parseOrRefuse(documentId, tutorIdParam)
  const query = parseOrRefuse(availabilityQuery, rawQuery)
  const now = options.now ?? searchClock(Date.now())
  const from = query.from ?? now
  const to = query.to ?? from + DEFAULT_RANGE_DAYS * DAY_MS
  if (to <= from) throw new BookingError('INVALID_REQUEST', '"to" must be after "from".', 'to')
  if (to - from > MAX_AVAILABILITY_RANGE_DAYS * DAY_MS) {
    throw new BookingError('INVALID_REQUEST', `Ask for at most ${MAX_AVAILABILITY_RANGE_DAYS} days at a time.`, 'to')
  }
  const [tutorEntry, calendar] = await Promise.all([
    cachedTutorStamped(payload, id),
    calendarCacheFor(payload).bookedIntervalsStamped('tutor', id),
  ])
  const tutor = tutorEntry.value
  if (!tutor || (!tutor.active && !options.includeInactive)) {
    return { status: 404, body: errorBody(`No tutor "${id}".`, { code: 'TUTOR_NOT_FOUND' }) }
  }

  const key = [id, tutorEntry.stamp, calendar.stamp, from, to, query.duration ?? '', query.tz ?? '', now].join('|')
  const cache = answerCacheFor(payload)
  const cached = cache.get(key)
  if (cached) return cached

  const schedule = tutorScheduleFromDoc(tutor)
  const duration = query.duration ?? schedule.sessionLengths[0] ?? 60
  const problem = durationProblem(schedule, duration, true)
  if (problem) throw new BookingError('INVALID_DURATION', problem, 'duration')

  const pairMs = (schedule.policy.bufferBeforeMinutes + schedule.policy.bufferAfterMinutes) * MINUTE_MS
  const busy = calendar.value.filter((interval) => interval.start < to + pairMs && interval.end > from - pairMs)
  const slots = tutor.active ? openSlots({ tutor: schedule, busy, range: { start: from, end: to }, durationMinutes: duration, now }) : []
  const answer: AvailabilityAnswer = {
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
  cache.set(key, answer)
  return answer
}
