import type { PayloadRequest } from 'payload'

import type { MailIntent } from '../email/mailIntents'
import type { WriteMailPlan } from '../email/appointmentEmailPlan'
import type { Student, Tutor } from '../payload-types'
import { refOf } from '../scheduling/appointment'
import type { ReservedTime } from './reserveAppointmentTime'

/**
 * What one appointment write carries from step to step (hooks/appointments/*): one typed object instead of
 * loose `req.context` keys. Set in one place per field; cleared after each write (`endBookingWrite`), because a
 * staff bulk PATCH runs several writes on one request.
 */
export type BookingWrite = {
  /** Loaded by the booking rules (reserveAppointmentTime); later steps reuse it instead of reading again. */
  tutor?: Tutor
  student?: Student
  /** The time claims this write took, freed if the write fails or the old time is no longer needed. */
  reserved?: ReservedTime
  /** The mail this write owes, recorded before the save so a crash cannot lose it (src/email/mailIntents.ts). */
  mailIntent?: MailIntent
  mailPlan?: WriteMailPlan
}

declare module 'payload' {
  interface RequestContext {
    bookingWrite?: BookingWrite
  }
}

/**
 * The current write's context. Always read through `req.context` (never keep a reference across a nested Local
 * API call): Payload replaces an empty `req.context` on nested calls, while an object inside it survives.
 */
export function bookingWriteOf(req: Pick<PayloadRequest, 'context'>): BookingWrite {
  // An error hook may run on a request Payload never gave a context: it must not throw there.
  req.context ??= {}
  req.context.bookingWrite ??= {}
  return req.context.bookingWrite
}

export function endBookingWrite(req: Pick<PayloadRequest, 'context'>): void {
  if (req.context) delete req.context.bookingWrite
}

/** The tutor of the appointment being written: the one the booking rules already loaded, else one read. */
export async function writeTutor(req: PayloadRequest, tutorRef: unknown): Promise<Tutor | null> {
  const tutorId = refOf(tutorRef) ?? ''
  const loaded = bookingWriteOf(req).tutor
  if (loaded && String(loaded.id) === tutorId) return loaded
  return (await req.payload.db.findOne({ collection: 'tutors', where: { id: { equals: tutorId } }, req })) as Tutor | null
}
