import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'

/**
 * Audit trail of appointment changes: who (the signed-in user, or server code), when, and what (the fields that
 * changed, old → new). One structured log line per change through Payload's logger. Changes made by staff
 * (admin panel, REST, GraphQL) are the point; students' own bookings/cancellations are logged the same way.
 * Notes are free text from the student: only the fact that they changed is logged, not their content.
 */
const TRACKED = ['status', 'start', 'end', 'tutor', 'student', 'meetingLocation'] as const
const CONTENT_ONLY = ['notes', 'cancellation'] as const

const refId = (value: unknown): unknown => (value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value)

const actorOf = (req: PayloadRequest) => {
  const user = req.user as { collection?: string; id?: unknown; role?: string } | null | undefined
  if (!user) return { actor: req.payloadAPI === 'local' ? 'server' : 'anonymous' }
  return { actor: `${user.collection}:${String(user.id)}`, actorRole: user.collection === 'users' ? user.role : 'student' }
}

export const auditAppointmentChange: CollectionAfterChangeHook = ({ doc, previousDoc, operation, req }) => {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const field of TRACKED) {
    const before = refId(previousDoc?.[field])
    const after = refId(doc?.[field])
    if (operation === 'create' ? after !== undefined : JSON.stringify(before) !== JSON.stringify(after)) changes[field] = { from: operation === 'create' ? undefined : before, to: after }
  }
  const contentChanged = CONTENT_ONLY.filter((field) => operation !== 'create' && JSON.stringify(previousDoc?.[field] ?? null) !== JSON.stringify(doc?.[field] ?? null))
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
      deleted: { status: doc?.status, start: doc?.start, end: doc?.end, tutor: refId(doc?.tutor), student: refId(doc?.student) },
      at: new Date().toISOString(),
    },
    'appointment deleted',
  )
  return doc
}
