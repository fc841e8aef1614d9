import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import { calendarCacheFor, type Party } from '../../src/readModels/calendars'
import { refOf } from '../../src/scheduling'

/**
 * Appends the appointment to the change log of every party it belongs to or belonged to (a move to another
 * tutor changes both calendars); every replica's cached calendar then reads this one appointment again.
 */
async function logChange(payload: Parameters<typeof calendarCacheFor>[0], id: unknown, docs: ({ tutor?: unknown; student?: unknown } | undefined)[]) {
  const appointmentId = refOf(id)
  if (!appointmentId) return
  const parties: { party: Party; id: string }[] = []
  for (const doc of docs) {
    for (const party of ['tutor', 'student'] as const) {
      const partyId = refOf(doc?.[party])
      if (partyId) parties.push({ party, id: partyId })
    }
  }
  await calendarCacheFor(payload).appointmentChanged(appointmentId, parties)
}

/** After any saved change: the calendars must follow the write before the request answers. */
export const markCalendarsChanged: CollectionAfterChangeHook = async ({ doc, previousDoc, req }) => {
  await logChange(req.payload, doc.id, [doc, previousDoc])
  return doc
}

export const markCalendarsChangedOnDelete: CollectionAfterDeleteHook = async ({ doc, req }) => {
  await logChange(req.payload, doc.id, [doc])
  return doc
}
