import type { CollectionBeforeChangeHook } from 'payload'

/** A readable title for admin lists and relationship pickers: "Ada Lovelace · 2026-12-01 15:00 UTC". */
export const describeAppointment: CollectionBeforeChangeHook = async ({ data, originalDoc, req }) => {
  const tutorRef = data.tutor ?? originalDoc?.tutor
  const start = data.start ?? originalDoc?.start
  if (!tutorRef || !start) return data
  const tutorId = typeof tutorRef === 'object' ? tutorRef.id : tutorRef
  const tutor = await req.payload.findByID({ collection: 'tutors', id: tutorId, depth: 0, overrideAccess: true, req, disableErrors: true })
  const when = new Date(start).toISOString().slice(0, 16).replace('T', ' ')
  return { ...data, title: `${tutor?.name ?? 'Tutor'} · ${when} UTC` }
}
