import type { Db } from 'mongodb'
import type { Payload } from 'payload'

import { ClaimStore } from './claimStore'

const stores = new WeakMap<Payload, Promise<ClaimStore>>()

/** The database handle under Payload's mongoose adapter (the same connection Payload uses). */
export function mongoDb(payload: Payload): Db {
  const db = (payload.db as unknown as { connection?: { db?: Db } }).connection?.db
  if (!db) throw new Error('TutorTrack needs the MongoDB adapter (@payloadcms/db-mongodb) and a connected database')
  return db
}

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
