import type { Collection, Document, Filter } from 'mongodb'

import { storageFlavorOf } from './flavor'

/**
 * An index that expires documents once `field` (a Date) is `afterSeconds` in the past.
 * MongoDB: a TTL index, and the server deletes them. FerretDB 1.24 answers `expireAfterSeconds` with
 * NotImplemented: a plain index, and the maintenance job calls sweepExpired. Index errors are not fatal.
 */
export async function ensureExpiryIndex<T extends Document>(collection: Collection<T>, field: string, afterSeconds = 0): Promise<void> {
  const keys = { [field]: 1 as const }
  const plain = () => collection.createIndex(keys, { name: `${field}_1` })
  if (!expiresBySelf(collection)) {
    await plain().catch(() => undefined)
    return
  }
  const ttl = () => collection.createIndex(keys, { expireAfterSeconds: afterSeconds, name: `${field}_ttl` })
  // A plain index made before the flavor was known (or on FerretDB) blocks the TTL one on the same key: replace it.
  await ttl().catch(() => collection.dropIndex(`${field}_1`).then(ttl).catch(() => plain().catch(() => undefined)))
}

/** Whether the server deletes expired documents itself (a TTL index): MongoDB yes, FerretDB 1.24 no. */
export const expiresBySelf = (target: { databaseName: string } | { dbName: string }): boolean => storageFlavorOf(target) === 'mongodb'

/** Deletes documents whose `field` is at or before `cutoff` (FerretDB's stand-in for a TTL index); returns how many. */
export async function sweepExpired<T extends Document>(collection: Collection<T>, field: string, cutoff: Date = new Date()): Promise<number> {
  const result = await collection.deleteMany({ [field]: { $lte: cutoff } } as Filter<T>)
  return result.deletedCount
}
