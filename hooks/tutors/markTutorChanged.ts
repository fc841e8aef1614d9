import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import { markTutorChanged } from '../../src/readModels/tutors'

/** Every replica's cached copy of this tutor (src/readModels/tutors.ts) is out of date once a change is saved. */
export const markTutorProfileChanged: CollectionAfterChangeHook = async ({ doc, req }) => {
  await markTutorChanged(req.payload, String(doc.id))
  return doc
}

export const markTutorProfileChangedOnDelete: CollectionAfterDeleteHook = async ({ doc, req }) => {
  await markTutorChanged(req.payload, String(doc.id))
  return doc
}
