import { ObjectId } from 'mongodb'
import type { CollectionAfterChangeHook } from 'payload'

import { mongoDb } from '../../src/storage/db'
import { stampVerificationToken } from '../../src/security/tokenStamps'

/**
 * Records when a new student's verification token was issued, so the verify endpoint can refuse links older than
 * 24 hours (Payload 3.90 never expires them). The token is a hidden field, so it is read back by `_id`.
 */
export const stampNewVerificationToken: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (operation !== 'create') return doc
  const db = mongoDb(req.payload)
  const id = String(doc.id)
  const stored = await db
    .collection('students')
    .findOne<{ _verificationToken?: string | null; _verified?: boolean }>({ _id: (ObjectId.isValid(id) ? new ObjectId(id) : id) as never }, { projection: { _verificationToken: 1, _verified: 1 } })
  if (stored?._verificationToken && stored._verified !== true) {
    await stampVerificationToken(db, { collection: 'students', userId: id, token: stored._verificationToken })
  }
  return doc
}
