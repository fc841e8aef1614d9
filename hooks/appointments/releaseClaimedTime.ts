import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, CollectionBeforeChangeHook, CollectionBeforeDeleteHook, PayloadRequest } from 'payload'

import { claimStoreFor } from '../../src/booking/claimStore'
import { claimsNeededBy } from '../../src/booking/claimSweeper'
import { bookingWriteOf, writeKey, type BookingWrite } from '../../src/booking/writeContext'
import { isConnectionLost } from '../../src/storage/errors'
import type { Appointment } from '../../src/payload-types'
import { isActiveStatus } from '../../src/scheduling'

/**
 * Before a cancellation (or another end of an active appointment) is saved: leaves a marker claim, so that a
 * process dying between the save and the release below still has its time freed by the sweeper.
 */
export const markTimeToRelease: CollectionBeforeChangeHook = async ({ data, originalDoc, operation, req }) => {
  const bookingKey = originalDoc?.bookingKey
  if (operation !== 'update' || !bookingKey || !isActiveStatus(originalDoc?.status)) return data
  if (isActiveStatus(data.status ?? originalDoc?.status)) return data
  await (await claimStoreFor(req.payload)).markPendingRelease(bookingKey)
  return data
}

export const markDeletedTimeToRelease: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const doc = (await req.payload.db.findOne({ collection: 'appointments', where: { id: { equals: id } } })) as { bookingKey?: string } | null
  if (doc?.bookingKey) await (await claimStoreFor(req.payload)).markPendingRelease(doc.bookingKey)
}

/**
 * After a save: a cancelled (or otherwise ended) appointment frees all its time at once; a moved one frees
 * the time it no longer needs. Runs after the write, so the slot is never free while the old booking stands.
 */
export const releaseUnneededTime: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  if (!doc.bookingKey) return doc
  const store = await claimStoreFor(req.payload)
  if (!isActiveStatus(doc.status)) {
    await store.releaseAll(doc.bookingKey)
    return doc
  }
  const write = bookingWriteOf(req, writeKey(operation, doc))
  const reserved = write.reserved
  // A new booking holds nothing but what it just claimed; only a moved one has time to give back.
  if (reserved && operation === 'update') {
    await store.releaseAllExcept(doc.bookingKey, reserved.claimIds)
  }
  delete write.reserved
  return doc
}

export const releaseDeletedTime: CollectionAfterDeleteHook = async ({ doc, req }) => {
  if (doc?.bookingKey) await (await claimStoreFor(req.payload)).releaseAll(doc.bookingKey)
  return doc
}

/**
 * A write that failed after its time was claimed gives back, at once, the claims it inserted that the appointment
 * as stored does not need: none was saved (a new booking), or the old times still stand (a move). The stored
 * appointment decides, because a write can fail after its document was saved (a later hook met the outage).
 * When the connection to the database was lost, the server may still carry the write out: the sweeper decides
 * after ORPHAN_CLAIM_BOUND_MS, as it does when this read fails. An error hook that threw would turn the request's
 * answer into a 500.
 */
export async function releaseTimeOfFailedWrite(req: PayloadRequest, write: BookingWrite, error: unknown): Promise<void> {
  const reserved = write.reserved
  if (!reserved?.insertedIds.length) return
  delete write.reserved
  if (isConnectionLost(error)) return
  try {
    const stored = (await req.payload.db.findOne({ collection: 'appointments', where: { bookingKey: { equals: reserved.holder } } })) as Appointment | null
    const needed = await claimsNeededBy(req.payload, stored)
    if (!needed) return
    const store = await claimStoreFor(req.payload)
    await store.release(reserved.holder, reserved.insertedIds.filter((id) => !needed.includes(id)))
  } catch {
    // The sweeper frees them.
  }
}
