import type { Endpoint, PayloadRequest } from 'payload'
import { z } from 'zod'

import { isAdminUser, isStudent, isTutorUser } from '../../../src/access/roles'
import { BookingError } from '../../../src/booking/bookingErrors'
import { cancelAppointment } from '../../../src/booking/cancellation'
import { documentId, durationMinutes, isoInstant, parseOrRefuse, readJsonBody } from '../../../src/booking/requestSchemas'
import { studentRefusalText } from '../../../src/i18n/apiErrors'
import { requestLanguage, studentApiText } from '../../../src/i18n/apiText'
import type { Appointment, Student, Tutor } from '../../../src/payload-types'
import { canStudentCancel, isBooked, isValidTimeZone, refOf, resolveBookingPolicy, sessionEnd, sessionMinutes } from '../../../src/scheduling'

const cancelRequest = z.strictObject({
  reason: z.string({ error: 'must be text' }).trim().max(1000, 'must be at most 1000 characters').optional(),
})

const rescheduleRequest = z.strictObject({
  start: isoInstant,
  duration: durationMinutes.optional(),
})

/**
 * Loads an appointment the caller may change: a student their own (before the cut-off), a tutor their own (the
 * student's cut-off is a rule for students; a tutor's move still passes the booking rules), an admin any.
 */
async function changeableAppointment(req: PayloadRequest, action: 'cancel' | 'change'): Promise<{ appointment: Appointment; tutor: Tutor; byAdmin: boolean }> {
  // Staff keep the plain English wording; a student (and anyone signed out) reads the catalog's, in their language.
  const say = studentApiText(req)
  if (!req.user) throw new BookingError('UNAUTHENTICATED', say('signInToChange'))
  const byAdmin = isAdminUser(req)
  const byTutor = isTutorUser(req)
  if (!byAdmin && !byTutor && !isStudent(req)) throw new BookingError('FORBIDDEN', say('onlyStudentChanges'))
  const id = parseOrRefuse(documentId, req.routeParams?.id)
  const appointment = (await req.payload.findByID({
    collection: 'appointments',
    id,
    depth: 0,
    overrideAccess: false,
    disableErrors: true,
    req,
  })) as Appointment | null
  if (!appointment) throw new BookingError('APPOINTMENT_NOT_FOUND', byAdmin ? `No appointment "${id}" that you can change.` : say('appointmentNotFound'))
  if (!isBooked(appointment.status)) {
    throw new BookingError(
      'NOT_CANCELLABLE',
      byAdmin ? `This appointment is ${appointment.status}; only booked sessions can be changed.` : say('notChangeable', { status: appointment.status ?? 'other' }),
    )
  }
  const tutorId = refOf(appointment.tutor)!
  const tutor = (await req.payload.findByID({ collection: 'tutors', id: tutorId, depth: 0, overrideAccess: true, req })) as Tutor
  if (!byAdmin && !byTutor) {
    // The caller is the student who booked (access control lets a student read only their own sessions).
    const studentZone = (req.user as Student).timeZone
    const timeZone = isValidTimeZone(studentZone) ? studentZone : tutor.timeZone
    const verdict = canStudentCancel({ start: Date.parse(appointment.start), now: Date.now(), policy: resolveBookingPolicy(tutor.policy ?? {}), studentTimeZone: timeZone, action })
    if (!verdict.ok) throw new BookingError('CANCELLATION_CUTOFF_PASSED', studentRefusalText(verdict.facts, { locale: requestLanguage(req), timeZone }))
  }
  return { appointment, tutor, byAdmin }
}

/** POST /api/appointments/:id/cancel `{ reason }` — frees the slot at once and keeps who/when/why. */
export const cancelAppointmentEndpoint: Endpoint = {
  path: '/:id/cancel',
  method: 'post',
  handler: async (req) => {
    const { appointment, byAdmin } = await changeableAppointment(req, 'cancel')
    const { reason } = parseOrRefuse(cancelRequest, await readJsonBody(req))
    // Who and when are stamped by the appointment hooks (hooks/appointments/stampCancellation.ts), as for the admin's status dropdown.
    const doc = await cancelAppointment(req, appointment.id, { reason })
    return Response.json({ doc, message: byAdmin ? 'The session is cancelled.' : studentApiText(req)('cancelled') }, { status: 200 })
  },
}

/** POST /api/appointments/:id/reschedule `{ start, duration? }` — checked like a new booking; on conflict nothing changes. */
export const rescheduleAppointmentEndpoint: Endpoint = {
  path: '/:id/reschedule',
  method: 'post',
  handler: async (req) => {
    const { appointment, byAdmin } = await changeableAppointment(req, 'change')
    const request = parseOrRefuse(rescheduleRequest, await readJsonBody(req))
    const currentMinutes = sessionMinutes(appointment.start, appointment.end)
    const minutes = request.duration ?? currentMinutes
    const doc = await req.payload.update({
      collection: 'appointments',
      id: appointment.id,
      data: { start: new Date(request.start).toISOString(), end: new Date(sessionEnd(request.start, minutes)).toISOString() },
      depth: 0,
      overrideAccess: true,
      req,
    })
    return Response.json({ doc, message: byAdmin ? 'The session is moved.' : studentApiText(req)('moved') }, { status: 200 })
  },
}
