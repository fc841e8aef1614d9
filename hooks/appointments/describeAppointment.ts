import type { CollectionBeforeChangeHook } from 'payload'

import { writeTutor } from '../../src/booking/writeContext'

/** A readable title for admin lists and relationship pickers: "Ada Lovelace · 2026-12-01 15:00 UTC". */
export const describeAppointment: CollectionBeforeChangeHook = async ({ data, originalDoc, req }) => {
  const tutorRef = data.tutor ?? originalDoc?.tutor
  const start = data.start ?? originalDoc?.start
  if (!tutorRef || !start) return data
  const tutor = await writeTutor(req, tutorRef)
  const when = new Date(start).toISOString().slice(0, 16).replace('T', ' ')
  return { ...data, title: `${tutor?.name ?? 'Tutor'} · ${when} UTC` }
}
