import { randomUUID } from 'node:crypto'

import type { PayloadRequest } from 'payload'

import type { Appointment, Student, Tutor } from '../payload-types'
import {
  type Audience,
  checkBooking,
  DAY_MS,
  isValidTimeZone,
  MAX_SESSION_MS,
  MINUTE_MS,
  readerFor,
  refOf,
  refusalMessage,
  type RefusalFacts,
  sessionInPastMessage,
  sessionMinutes,
  studentClaimInterval,
  tutorBlockedInterval,
  type Interval,
  type TutorSchedule,
} from '../scheduling'
import { isStudent } from '../access/roles'
import { studentRefusalText, type StudentReader } from '../i18n/apiErrors'
import { languageOf } from '../i18n/translator'
import { isConnectionLost } from '../storage/errors'
import { BookingError } from './bookingErrors'
import { busyIntervals } from '../readModels/calendars'
import { claimStoreFor } from './claimStore'
import { cachedTutor, tutorScheduleFromDoc } from '../readModels/tutors'

export type ReservedTime = { holder: string; insertedIds: string[]; claimIds: string[] }

/** The claimed time, and the tutor and student the rules loaded (later steps of the write reuse both). */
export type Reservation = ReservedTime & { tutor: Tutor; student: Student }

type Candidate = {
  id?: string | number
  tutorId: string
  studentId: string
  start: number
  end: number
  bookingKey?: string | null
}

export function candidateFrom(data: Partial<Appointment>, originalDoc?: Partial<Appointment>): Candidate {
  const merged = { ...originalDoc, ...data }
  const tutorId = refOf(merged.tutor)
  const studentId = refOf(merged.student)
  if (!tutorId) throw new BookingError('INVALID_REQUEST', 'Choose a tutor for this appointment.', 'tutor')
  if (!studentId) throw new BookingError('INVALID_REQUEST', 'Choose a student for this appointment.', 'student')
  const start = Date.parse(String(merged.start))
  const end = Date.parse(String(merged.end))
  if (!Number.isFinite(start)) throw new BookingError('INVALID_REQUEST', 'Start must be a date-time such as 2026-12-01T15:00:00Z.', 'start')
  if (!Number.isFinite(end)) throw new BookingError('INVALID_REQUEST', 'End must be a date-time such as 2026-12-01T16:00:00Z.', 'end')
  if (end <= start) throw new BookingError('INVALID_REQUEST', 'End must be after start.', 'end')
  return { id: originalDoc?.id, tutorId, studentId, start, end, bookingKey: originalDoc?.bookingKey }
}

/**
 * Checks a new or moved appointment against the scheduling rules, then claims its time in the database.
 * The rules that need only the tutor (notice, weekly hours, time off, lengths) are checked first; overlaps
 * are decided by the claim inserts, which hold under any concurrency. Only when a claim is refused are the
 * booked sessions read, to tell the person exactly what is in the way.
 * Staff may book outside the weekly rules, the notice window and the tutor's grid of start times on purpose,
 * but never into an overlap. Refusals speak to whoever asked: the student, in their own time zone, or staff.
 */
export async function reserveAppointmentTime(
  candidate: Candidate,
  options: { req: PayloadRequest; staffOverride: boolean; now?: number },
): Promise<Reservation> {
  const { req, staffOverride } = options
  const payload = req.payload
  const now = options.now ?? Date.now()

  // A student booking for themself was loaded by authentication moments ago: no second read.
  const callerIsStudent = isStudent(req) && String(req.user!.id) === candidate.studentId
  const [tutor, student] = await Promise.all([
    cachedTutor(payload, candidate.tutorId),
    callerIsStudent ? (req.user as Student) : (payload.db.findOne({ collection: 'students', where: { id: { equals: candidate.studentId } }, req }) as Promise<Student | null>),
  ])
  if (!tutor) throw new BookingError('TUTOR_NOT_FOUND', `No tutor has the id "${candidate.tutorId}".`, 'tutor')
  if (!student) throw new BookingError('STUDENT_NOT_FOUND', `No student has the id "${candidate.studentId}".`, 'student')
  const schedule = tutorScheduleFromDoc(tutor)
  const audience: Audience = {
    role: staffOverride ? 'staff' : 'student',
    // The profile form requires a valid zone; an old or hand-edited document falls back to the tutor's.
    studentTimeZone: isValidTimeZone(student.timeZone) ? student.timeZone : schedule.timeZone,
  }
  // A student reads refusals in their own language (profile, else the request's Accept-Language) from the catalog.
  const studentReader: StudentReader | null = staffOverride
    ? null
    : { locale: languageOf(student, req.headers?.get('accept-language')), timeZone: audience.studentTimeZone }
  const words = (facts: RefusalFacts): string => (studentReader ? studentRefusalText(facts, studentReader) : refusalMessage(facts, readerFor(schedule, audience)))
  if (!tutor.active && !staffOverride) {
    throw new BookingError('TUTOR_INACTIVE', words({ code: 'TUTOR_INACTIVE', tutorName: tutor.name }), 'tutor')
  }
  // Staff skip the notice rule, not the clock: a booked session owes confirmation and reminder mail.
  if (staffOverride && candidate.start <= now) {
    throw new BookingError('SESSION_IN_PAST', sessionInPastMessage({ start: candidate.start }, readerFor(schedule, audience)), 'start')
  }
  const session: Interval = { start: candidate.start, end: candidate.end }
  const check = (busyTutor: Interval[], busyStudent: Interval[]) =>
    checkBooking({
      tutor: schedule,
      busyTutor,
      busyStudent,
      start: candidate.start,
      durationMinutes: sessionMinutes(candidate.start, candidate.end),
      now,
      enforceWeeklyRules: !staffOverride,
      enforceNotice: !staffOverride,
      enforceSlotGrid: !staffOverride,
      audience,
    })
  let verdict = check([], [])
  if (!verdict.ok && verdict.code === 'NOT_AN_OFFERED_START') verdict = await withFreeNearestStarts(req, candidate, schedule, check, verdict)
  if (!verdict.ok) throw new BookingError(verdict.code, words(verdict.facts), verdict.code === 'INVALID_DURATION' ? 'duration' : 'start')

  const holder = candidate.bookingKey || randomUUID()
  const store = await claimStoreFor(payload)
  const outcome = await store
    .claim({
      holder,
      tutorId: candidate.tutorId,
      studentId: candidate.studentId,
      tutorInterval: tutorBlockedInterval(session, schedule.policy),
      studentInterval: studentClaimInterval(session),
    })
    .catch(async (error: unknown) => {
      // A new booking's holder is its own, so what a failed insert left is freed at once (else the sweeper frees it
      // after ORPHAN_CLAIM_BOUND_MS, as it does for a move, whose holder also holds its current time, and when the
      // connection was lost: the server may still carry the insert out).
      if (!candidate.bookingKey && !isConnectionLost(error)) await store.releaseAll(holder).catch(() => undefined)
      throw error
    })
  if (!outcome.ok) throw await explainConflict(req, candidate, schedule, words, outcome.conflictingParty, check)
  return { holder, insertedIds: outcome.insertedIds, claimIds: outcome.claimIds, tutor, student }
}

/**
 * The refusal again, with the tutor's booked sessions known, so the nearest starts it names are ones still
 * free. It is a refusal either way: when the sessions cannot be read, the first answer stands.
 */
async function withFreeNearestStarts(
  req: PayloadRequest,
  candidate: Candidate,
  schedule: TutorSchedule,
  check: (busyTutor: Interval[], busyStudent: Interval[]) => ReturnType<typeof checkBooking>,
  firstVerdict: ReturnType<typeof checkBooking>,
): Promise<ReturnType<typeof checkBooking>> {
  // checkBooking looks a day either side; sessions reaching into that span can be this long, plus buffers.
  const reach = DAY_MS + MAX_SESSION_MS + (schedule.policy.bufferBeforeMinutes + schedule.policy.bufferAfterMinutes) * MINUTE_MS
  try {
    const busyTutor = await busyIntervals(req.payload, 'tutor', candidate.tutorId, { start: candidate.start - reach, end: candidate.start + reach }, candidate.id)
    return check(busyTutor, [])
  } catch (error) {
    req.payload.logger.warn({ event: 'booking.nearest_starts_failed', err: error }, 'could not read sessions for the nearest free starts')
    return firstVerdict
  }
}

async function explainConflict(
  req: PayloadRequest,
  candidate: Candidate,
  schedule: TutorSchedule,
  words: (facts: RefusalFacts) => string,
  party: 'tutor' | 'student',
  check: (busyTutor: Interval[], busyStudent: Interval[]) => ReturnType<typeof checkBooking>,
): Promise<BookingError> {
  const pairMs = (schedule.policy.bufferBeforeMinutes + schedule.policy.bufferAfterMinutes) * MINUTE_MS
  const around = { start: candidate.start - pairMs, end: candidate.end + pairMs }
  try {
    const [busyTutor, busyStudent] = await Promise.all([
      busyIntervals(req.payload, 'tutor', candidate.tutorId, around, candidate.id),
      busyIntervals(req.payload, 'student', candidate.studentId, around, candidate.id),
    ])
    const verdict = check(busyTutor, busyStudent)
    if (!verdict.ok && (verdict.code === 'SLOT_UNAVAILABLE' || verdict.code === 'STUDENT_BUSY')) {
      return new BookingError(verdict.code, words(verdict.facts), verdict.code === 'STUDENT_BUSY' ? 'student' : 'start')
    }
  } catch (error) {
    req.payload.logger.warn({ event: 'booking.explain_failed', err: error }, 'could not describe a booking conflict')
  }
  // The claim lost a race the saved sessions don't show yet: say so plainly.
  const session: Interval = { start: candidate.start, end: candidate.end }
  return party === 'student'
    ? new BookingError('STUDENT_BUSY', words({ code: 'STUDENT_BUSY', session }), 'student')
    : new BookingError('SLOT_UNAVAILABLE', words({ code: 'SLOT_UNAVAILABLE', tutorName: schedule.name ?? 'this tutor', session }), 'start')
}
