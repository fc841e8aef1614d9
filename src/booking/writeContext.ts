import type { PayloadRequest } from 'payload'

import type { MailIntent } from '../email/mailIntents'
import type { WriteMailPlan } from '../email/appointmentEmailPlan'
import type { Student, Tutor } from '../payload-types'
import { refOf } from '../scheduling/appointment'
import type { ReservedTime } from './reserveAppointmentTime'

/**
 * What one appointment write carries from step to step (hooks/appointments/*): one typed object instead of
 * loose `req.context` keys. Set in one place per field. Keyed by document, because a staff bulk PATCH runs its
 * documents' writes in parallel on one request (payload/dist/collections/operations/update.js).
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
    bookingWrites?: Record<string, BookingWrite>
  }
}

type WithContext = Pick<PayloadRequest, 'context'>

/** Which write of the request a hook is in: the document's id, or the one create (a create is one document). */
export function writeKey(operation: string, doc: { id?: unknown } | null | undefined): string {
  return operation === 'create' || doc?.id === undefined || doc?.id === null ? 'create' : String(doc.id)
}

function writesOf(req: WithContext): Record<string, BookingWrite> {
  // An error hook may run on a request Payload never gave a context: it must not throw there.
  req.context ??= {}
  req.context.bookingWrites ??= {}
  return req.context.bookingWrites
}

/**
 * One write's context. Always read through `req.context` (never keep a reference across a nested Local API
 * call): Payload replaces `req.context` with a copy on nested calls, while the objects inside it are shared.
 */
export function bookingWriteOf(req: WithContext, key: string): BookingWrite {
  const writes = writesOf(req)
  writes[key] ??= {}
  return writes[key]
}

export function endBookingWrite(req: WithContext, key: string): void {
  if (req.context?.bookingWrites) delete req.context.bookingWrites[key]
}

/** The writes of this request that began and never ended: they failed (afterError, or a bulk PATCH's failed documents). */
export function takeUnfinishedWrites(req: WithContext): BookingWrite[] {
  const writes = req.context?.bookingWrites
  if (!writes) return []
  const unfinished = Object.values(writes)
  delete req.context.bookingWrites
  return unfinished
}

/** The tutor of the appointment being written: the one the booking rules already loaded, else one read. */
export async function writeTutor(req: PayloadRequest, tutorRef: unknown): Promise<Tutor | null> {
  const tutorId = refOf(tutorRef) ?? ''
  // Any write of this request that loaded this tutor will do: a tutor is the same whichever session it is for.
  const loaded = Object.values(writesOf(req)).find((write) => write.tutor && String(write.tutor.id) === tutorId)?.tutor
  if (loaded) return loaded
  return (await req.payload.db.findOne({ collection: 'tutors', where: { id: { equals: tutorId } }, req })) as Tutor | null
}
