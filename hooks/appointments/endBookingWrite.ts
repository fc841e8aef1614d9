import type { CollectionAfterChangeHook, CollectionAfterErrorHook } from 'payload'

import { endBookingWrite } from '../../src/booking/writeContext'

/** The last step of each write: a staff bulk PATCH runs several writes on one request, each starts afresh. */
export const endBookingWriteAfterSave: CollectionAfterChangeHook = ({ doc, req }) => {
  endBookingWrite(req)
  return doc
}

export const endBookingWriteAfterError: CollectionAfterErrorHook = ({ req }) => {
  endBookingWrite(req)
}
