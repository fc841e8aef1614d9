import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'

import { changedFields, refOf } from '../../src/scheduling'

/**
 * Audit trail of appointment changes: who (the signed-in user, or server code), when, and what (the fields that
 * changed, old → new). One structured log line per change through Payload's logger. Changes made by staff
 * (admin panel, REST, GraphQL) are the point; students' own bookings/cancellations are logged the same way.
 * Notes are free text from the student: only the fact that they changed is logged, not their content.
 */
const TRACKED = ['status', 'start', 'end', 'tutor', 'student', 'meetingLocation'] as const
const CONTENT_ONLY = ['notes', 'cancellation'] as const

/** A logged value: a relationship as its id; null and absent stay as they are. */
const logged = (value: unknown): unknown => (value === null || value === undefined ? value : refOf(value))

const actorOf = (req: PayloadRequest) => {
  const user = req.user as { collection?: string; id?: unknown; role?: string } | null | undefined
  if (!user) return { actor: req.payloadAPI === 'local' ? 'server' : 'anonymous' }
  return { actor: `${user.collection}:${String(user.id)}`, actorRole: user.collection === 'users' ? user.role : 'student' }
}

export const auditAppointmentChange: CollectionAfterChangeHook = ({ doc, previousDoc, operation, req }) => {
  const created = operation === 'create'
  const changed = created ? TRACKED.filter((field) => doc?.[field] !== undefined) : changedFields(previousDoc, doc, TRACKED)
  const changes = Object.fromEntries(
    changed.map((field) => [field, { from: created ? undefined : logged(previousDoc?.[field]), to: logged(doc?.[field]) }]),
  )
  const contentChanged = created ? [] : changedFields(previousDoc, doc, CONTENT_ONLY)
  req.payload.logger.info(
    {
      audit: true,
      event: operation === 'create' ? 'appointment.created' : 'appointment.changed',
      appointmentId: String(doc.id),
      ...actorOf(req),
      via: req.payloadAPI,
      changes,
      ...(contentChanged.length ? { alsoChanged: contentChanged } : {}),
      at: new Date().toISOString(),
    },
    operation === 'create' ? 'appointment created' : 'appointment changed',
  )
  return doc
}

export const auditAppointmentDelete: CollectionAfterDeleteHook = ({ doc, id, req }) => {
  req.payload.logger.info(
    {
      audit: true,
      event: 'appointment.deleted',
      appointmentId: String(id),
      ...actorOf(req),
      via: req.payloadAPI,
      deleted: { status: doc?.status, start: doc?.start, end: doc?.end, tutor: logged(doc?.tutor), student: logged(doc?.student) },
      at: new Date().toISOString(),
    },
    'appointment deleted',
  )
  return doc
}
