import { randomUUID } from 'node:crypto'

import type { PayloadRequest } from 'payload'

import type { Appointment, Tutor } from '../payload-types'
import { checkBooking, MINUTE_MS, studentClaimInterval, tutorBlockedInterval, type Interval } from '../scheduling'
import { BookingError } from './bookingErrors'
import { ACTIVE_STATUS, busyIntervals } from './busyTimes'
import { claimStoreFor } from './claimStoreFor'
import { tutorScheduleFromDoc } from './tutorSchedule'

export type ReservedTime = { holder: string; insertedIds: string[]; claimIds: string[] }

type Candidate = {
  id?: string | number
  tutorId: string
  studentId: string
  start: number
  end: number
  bookingKey?: string | null
}

const refOf = (value: unknown): string | undefined => {
  if (value === null || value === undefined || value === '') return undefined
  if (typeof value === 'object' && 'id' in (value as object)) return String((value as { id: unknown }).id)
  return String(value)
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
 * Staff may book outside the weekly rules and notice window on purpose, but never into an overlap.
 */
export async function reserveAppointmentTime(
  candidate: Candidate,
  options: { req: PayloadRequest; staffOverride: boolean; now?: number },
): Promise<ReservedTime> {
  const { req, staffOverride } = options
  const payload = req.payload
  const now = options.now ?? Date.now()

  const tutor = (await payload.findByID({
    collection: 'tutors',
    id: candidate.tutorId,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
    req,
  })) as Tutor | null
  if (!tutor) throw new BookingError('TUTOR_NOT_FOUND', `No tutor has the id "${candidate.tutorId}".`, 'tutor')
  if (!tutor.active && !staffOverride) {
    throw new BookingError('TUTOR_INACTIVE', `${tutor.name} is not taking bookings at the moment.`, 'tutor')
  }
  const student = await payload.findByID({
    collection: 'students',
    id: candidate.studentId,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
    req,
  })
  if (!student) throw new BookingError('STUDENT_NOT_FOUND', `No student has the id "${candidate.studentId}".`, 'student')

  const schedule = tutorScheduleFromDoc(tutor)
  const session: Interval = { start: candidate.start, end: candidate.end }
  const durationMinutes = (candidate.end - candidate.start) / MINUTE_MS
  // An existing session conflicts when its buffered time meets ours, so look one full buffer pair around.
  const bufferPairMs = (schedule.policy.bufferBeforeMinutes + schedule.policy.bufferAfterMinutes) * MINUTE_MS
  const lookaround: Interval = { start: session.start - bufferPairMs, end: session.end + bufferPairMs }
  const [busyTutor, busyStudent] = await Promise.all([
    busyIntervals(payload, { party: 'tutor', partyId: candidate.tutorId, range: lookaround, excludeAppointmentId: candidate.id, req }),
    busyIntervals(payload, { party: 'student', partyId: candidate.studentId, range: session, excludeAppointmentId: candidate.id, req }),
  ])
  const verdict = checkBooking({
    tutor: schedule,
    busyTutor,
    busyStudent,
    start: candidate.start,
    durationMinutes,
    now,
    enforceWeeklyRules: !staffOverride,
    enforceNotice: !staffOverride,
  })
  if (!verdict.ok) throw new BookingError(verdict.code, verdict.message, verdict.code === 'STUDENT_BUSY' ? 'student' : 'start')

  const holder = candidate.bookingKey || randomUUID()
  const store = await claimStoreFor(payload)
  const outcome = await store.claim({
    holder,
    tutorId: candidate.tutorId,
    studentId: candidate.studentId,
    tutorInterval: tutorBlockedInterval(session, schedule.policy),
    studentInterval: studentClaimInterval(session),
  })
  if (!outcome.ok) {
    if (outcome.conflictingParty === 'student') {
      throw new BookingError('STUDENT_BUSY', 'You already have another session at that time.', 'student')
    }
    throw new BookingError('SLOT_UNAVAILABLE', `That time with ${tutor.name} was just taken. Pick another slot.`, 'start')
  }
  return { holder, insertedIds: outcome.insertedIds, claimIds: outcome.claimIds }
}

export const isActiveStatus = (status: unknown): boolean => (status ?? ACTIVE_STATUS) === ACTIVE_STATUS
