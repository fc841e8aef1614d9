import type { Payload } from 'payload'

import { mongoDb } from '../storage/db'
import { ClaimStore } from './claimStore'

const stores = new WeakMap<Payload, Promise<ClaimStore>>()

export function claimStoreFor(payload: Payload): Promise<ClaimStore> {
  let store = stores.get(payload)
  if (!store) {
    store = (async () => {
      const created = new ClaimStore(mongoDb(payload))
      await created.ensureIndexes()
      return created
    })()
    // A failed start (the database was unreachable) is tried again by the next booking, not kept until a restart.
    store.catch(() => stores.delete(payload))
    stores.set(payload, store)
  }
  return store
}
