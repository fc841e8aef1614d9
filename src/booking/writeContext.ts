import type { PayloadRequest } from 'payload'

import type { MailIntent } from '../email/mailIntents'
import type { WriteMailPlan } from '../email/appointmentEmailPlan'
import type { Student, Tutor } from '../payload-types'
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
  req.context.bookingWrite ??= {}
  return req.context.bookingWrite
}

export function endBookingWrite(req: Pick<PayloadRequest, 'context'>): void {
  delete req.context.bookingWrite
}
