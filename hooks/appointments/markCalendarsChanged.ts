import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import { calendarCacheFor } from '../../src/readModels/calendars'
import { refOf } from '../../src/scheduling'

async function touchParties(payload: Parameters<typeof calendarCacheFor>[0], docs: ({ tutor?: unknown; student?: unknown } | undefined)[]) {
  const cache = calendarCacheFor(payload)
  const keys = new Set<string>()
  for (const doc of docs) {
    const tutor = refOf(doc?.tutor)
    const student = refOf(doc?.student)
    if (tutor) keys.add(`tutor:${tutor}`)
    if (student) keys.add(`student:${student}`)
  }
  await cache.touchMany([...keys].map((key) => {
    const [party, id] = key.split(':') as ['tutor' | 'student', string]
    return { party, id }
  }))
}

/** After any saved change, every replica's cached calendar of the tutor and student is out of date. */
export const markCalendarsChanged: CollectionAfterChangeHook = async ({ doc, previousDoc, req }) => {
  await touchParties(req.payload, [doc, previousDoc])
  return doc
}

export const markCalendarsChangedOnDelete: CollectionAfterDeleteHook = async ({ doc, req }) => {
  await touchParties(req.payload, [doc])
  return doc
}
