import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, PayloadRequest } from 'payload'

import { BookingError } from '../../src/booking/bookingErrors'
import { cancelAppointment } from '../../src/booking/cancellation'
import type { Appointment, Student, Tutor } from '../../src/payload-types'
import { tutorScheduleFromDoc } from '../../src/readModels/tutors'
import { BOOKED, type BookedSession, strandedSessions, strandedSessionsMessage } from '../../src/scheduling'

/** The non-stored checkbox a writer ticks to cancel the sessions a change strands (REST: `"cancelStrandedSessions": true`). */
export const CANCEL_STRANDED_FIELD = 'cancelStrandedSessions'
export const CANCEL_STRANDED_LABEL = 'Cancel stranded sessions and notify'

const HOURS_FIELDS = ['weeklyAvailability', 'dateOverrides', 'timeOff', 'timeZone'] as const

declare module 'payload' {
  interface RequestContext {
    /** Per tutor id: booked sessions the saved change strands, cancelled once the tutor is saved. */
    strandedSessionsToCancel?: Record<string, string[]>
  }
}

async function futureBookedSessions(req: PayloadRequest, tutorId: string | number, now: number): Promise<BookedSession[]> {
  const { docs } = await req.payload.find({
    collection: 'appointments',
    where: { and: [{ tutor: { equals: tutorId } }, { status: { equals: BOOKED } }, { start: { greater_than: new Date(now).toISOString() } }] },
    depth: 1,
    pagination: false,
    overrideAccess: true,
    req,
  })
  return (docs as Appointment[]).map((doc) => ({
    id: String(doc.id),
    start: Date.parse(doc.start),
    end: Date.parse(doc.end),
    studentName: typeof doc.student === 'object' ? ((doc.student as Student).fullName ?? undefined) : undefined,
  }))
}

/**
 * New time off, weekly hours or date overrides must not silently leave booked sessions outside them: the write is refused with
 * the list, unless the writer ticked the checkbox, and then those sessions are cancelled after the save.
 */
export const refuseStrandingBookedSessions: CollectionBeforeChangeHook = async ({ data, originalDoc, operation, req }) => {
  const { [CANCEL_STRANDED_FIELD]: cancelChosen, ...rest } = data
  if (operation !== 'update' || !originalDoc || !HOURS_FIELDS.some((field) => field in data)) return rest
  const now = Date.now()
  const before = tutorScheduleFromDoc(originalDoc as Tutor)
  const after = tutorScheduleFromDoc({ ...originalDoc, ...rest } as Tutor)
  const stranded = strandedSessions({ before, after, sessions: await futureBookedSessions(req, originalDoc.id, now), now })
  if (stranded.length === 0) return rest
  if (cancelChosen !== true) {
    const message = strandedSessionsMessage({ tutorName: after.name ?? 'this tutor', tutorTimeZone: after.timeZone, sessions: stranded, choiceLabel: CANCEL_STRANDED_LABEL })
    throw new BookingError('STRANDS_BOOKED_SESSIONS', message, stranded.some((session) => session.cause === 'time_off') ? 'timeOff' : 'weeklyAvailability')
  }
  req.context.strandedSessionsToCancel ??= {}
  req.context.strandedSessionsToCancel[String(originalDoc.id)] = stranded.map((session) => session.id)
  return rest
}

/** After the new hours are saved: each stranded session is cancelled the ordinary way (stamp, claims freed, mail). */
export const cancelStrandedSessions: CollectionAfterChangeHook = async ({ doc, req }) => {
  const ids = req.context.strandedSessionsToCancel?.[String(doc.id)]
  if (!ids) return doc
  delete req.context.strandedSessionsToCancel![String(doc.id)]
  for (const id of ids) {
    await cancelAppointment(req, id, { reason: `${(doc as Tutor).name} is no longer available at this time.` })
  }
  return doc
}
