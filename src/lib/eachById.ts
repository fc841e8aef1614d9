import type { Collection, Document, Filter, FindOptions, WithId } from 'mongodb'

/*
 * Reads and deletes by a list of ids as one `_id` equality per id, sent in parallel. MongoDB serves an `$in` of
 * ids from the `_id` index as well, but FerretDB 1.24 (the local stand-in) pushes only a plain equality down to
 * its storage: for an `$in` it read and decoded the whole collection (measured: a 50-id read of the outbox cost
 * as much as decoding every message in it).
 */

export async function findEachById<T extends Document>(collection: Collection<T>, ids: readonly unknown[], options?: FindOptions): Promise<WithId<T>[]> {
  const found: (WithId<T> | null)[] = await Promise.all([...new Set(ids)].map((id) => collection.findOne<WithId<T>>({ _id: id } as Filter<T>, options ?? {})))
  return found.filter((doc) => doc !== null)
}

/** `also`: a condition each document must meet as well to be deleted (e.g. who owns it). */
export async function deleteEachById<T extends Document>(collection: Collection<T>, ids: readonly unknown[], also: Filter<T> = {}): Promise<number> {
  const results = await Promise.all([...new Set(ids)].map((id) => collection.deleteOne({ ...also, _id: id } as Filter<T>)))
  return results.reduce((sum, result) => sum + result.deletedCount, 0)
}
