import type { Collection, Document, Filter, FindOptions, WithId } from 'mongodb'

import { storageFlavorOf } from './flavor'

/** Reads the documents with these ids (duplicates ignored; missing ones left out, in no particular order). */
export async function findByIds<T extends Document>(collection: Collection<T>, ids: readonly unknown[], options?: FindOptions): Promise<WithId<T>[]> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return []
  if (storageFlavorOf(collection) === 'mongodb') return collection.find({ _id: { $in: unique } } as Filter<T>, options ?? {}).toArray()
  return findEachById(collection, unique, options)
}

/** Deletes the documents with these ids; `also`: a condition each must meet as well (e.g. who owns it). */
export async function deleteByIds<T extends Document>(collection: Collection<T>, ids: readonly unknown[], also: Filter<T> = {}): Promise<number> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return 0
  if (storageFlavorOf(collection) === 'mongodb') return (await collection.deleteMany({ ...also, _id: { $in: unique } } as Filter<T>)).deletedCount
  return deleteEachById(collection, unique, also)
}

/**
 * FerretDB: one `_id` equality per id, sent in parallel. FerretDB 1.24 pushes down only `$eq` on scalar
 * top-level fields, so an `$in` reads and decodes the whole collection. MongoDB serves the `$in` from the `_id` index.
 */
async function findEachById<T extends Document>(collection: Collection<T>, ids: readonly unknown[], options?: FindOptions): Promise<WithId<T>[]> {
  const found: (WithId<T> | null)[] = await Promise.all(ids.map((id) => collection.findOne<WithId<T>>({ _id: id } as Filter<T>, options ?? {})))
  return found.filter((doc) => doc !== null)
}

/** FerretDB: one `deleteOne` by `_id` per id (see findEachById); MongoDB: one `deleteMany` with `$in`. */
async function deleteEachById<T extends Document>(collection: Collection<T>, ids: readonly unknown[], also: Filter<T>): Promise<number> {
  const results = await Promise.all(ids.map((id) => collection.deleteOne({ ...also, _id: id } as Filter<T>)))
  return results.reduce((sum, result) => sum + result.deletedCount, 0)
}
