import type { CollectionAfterChangeHook, CollectionAfterErrorHook, CollectionAfterOperationHook, PayloadRequest } from 'payload'

import { endBookingWrite, takeUnfinishedWrites, writeKey } from '../../src/booking/writeContext'
import { dropMailIntentOfFailedWrite } from './queueAppointmentEmails'
import { releaseTimeOfFailedWrite } from './releaseClaimedTime'

/** The last step of a saved write: its context is done with. */
export const endBookingWriteAfterSave: CollectionAfterChangeHook = ({ doc, operation, req }) => {
  endBookingWrite(req, writeKey(operation, doc))
  return doc
}

/** A write that failed gives back the time it claimed and drops the mail it recorded. */
async function settleFailedWrites(req: PayloadRequest, error: unknown): Promise<void> {
  for (const write of takeUnfinishedWrites(req)) {
    await releaseTimeOfFailedWrite(req, write, error)
    await dropMailIntentOfFailedWrite(req, write)
  }
}

export const settleFailedWrite: CollectionAfterErrorHook = async ({ error, req }) => {
  await settleFailedWrites(req, error)
}

/**
 * A bulk PATCH reports each document's failure in its answer instead of throwing, so no afterError runs for them:
 * once every document is done, the writes that never reached their last step are the failed ones.
 */
export const settleFailedBulkWrites: CollectionAfterOperationHook = async ({ operation, req, result }) => {
  if (operation === 'update') await settleFailedWrites(req, undefined)
  return result
}
