import type { Endpoint } from 'payload'

import { isStudent } from '../../../src/access/roles'
import { BookingError } from '../../../src/booking/bookingErrors'
import { documentId, parseOrRefuse, readJsonBody } from '../../../src/booking/requestSchemas'
import { queueMessageToTutor } from '../../../src/email/studentMessage'
import { studentApiText } from '../../../src/i18n/apiText'
import type { Appointment, Student, Tutor } from '../../../src/payload-types'
import { isBooked, refOf } from '../../../src/scheduling'
import { refuseIfStudentTooFast } from '../../../src/security/bookingLimit'
import { MAX_TUTOR_MESSAGE_LENGTH } from '../../../src/booking/tutorMessage'

/**
 * POST /api/appointments/:id/message `{ message }`: the booking's student writes to the tutor about a session
 * still to come (the manage page offers it once the cancellation cut-off has passed). The tutor's address stays
 * private: the mail goes through the outbox, and carries the student's name and words only.
 */
export const messageTutorEndpoint: Endpoint = {
  path: '/:id/message',
  method: 'post',
  handler: async (req) => {
    const say = studentApiText(req)
    if (!req.user) throw new BookingError('UNAUTHENTICATED', say('signInToMessage'))
    if (!isStudent(req)) throw new BookingError('FORBIDDEN', say('onlyStudentMessages'))
    const id = parseOrRefuse(documentId, req.routeParams?.id)
    const appointment = (await req.payload.findByID({ collection: 'appointments', id, depth: 0, overrideAccess: false, disableErrors: true, req })) as Appointment | null
    // Access lets a student read only their own sessions: anyone else's is "not found", like a missing one.
    if (!appointment) throw new BookingError('APPOINTMENT_NOT_FOUND', say('appointmentNotFound'))
    if (!isBooked(appointment.status) || Date.parse(appointment.end) <= Date.now()) throw new BookingError('NOT_CANCELLABLE', say('messageOnlyUpcoming'))
    const raw = (await readJsonBody(req)).message
    const message = typeof raw === 'string' ? raw.trim() : ''
    if (!message) throw new BookingError('INVALID_REQUEST', say('messageMissing'), 'message')
    if (message.length > MAX_TUTOR_MESSAGE_LENGTH) throw new BookingError('INVALID_REQUEST', say('messageTooLong', { max: MAX_TUTOR_MESSAGE_LENGTH, length: message.length }), 'message')
    const tooFast = await refuseIfStudentTooFast(req, 'message_tutor:student')
    if (tooFast) return tooFast
    const tutor = (await req.payload.findByID({ collection: 'tutors', id: refOf(appointment.tutor)!, depth: 0, overrideAccess: true, req })) as Tutor
    await queueMessageToTutor(req.payload, {
      appointmentId: String(appointment.id),
      to: tutor.contactEmail,
      tutorName: tutor.name,
      studentName: (req.user as Student).fullName,
      message,
      start: Date.parse(appointment.start),
      end: Date.parse(appointment.end),
      tutorTimeZone: tutor.timeZone,
    })
    return Response.json({ message: say('messageSent', { tutor: tutor.name }) }, { status: 202 })
  },
}
