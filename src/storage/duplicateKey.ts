import type { Collection, Document, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb'

import { retryBusy } from './busyRetry'
import { storageFlavorOf } from './flavor'

/** The server's code for an insert refused by a unique index (MongoDB and FerretDB alike). */
export const DUPLICATE_KEY = 11000

export const isDuplicateKeyError = (error: unknown): boolean => (error as { code?: number })?.code === DUPLICATE_KEY

type WriteErrorLike = { index: number; code?: number; err?: { code?: number } }

/** The per-document errors of an unordered insert, if every one is a duplicate key; else undefined. */
function duplicateWriteErrors(error: unknown): WriteErrorLike[] | undefined {
  const raw = (error as { writeErrors?: WriteErrorLike[] | WriteErrorLike } | undefined)?.writeErrors
  const list = Array.isArray(raw) ? raw : raw ? [raw] : []
  if (list.length === 0) return undefined
  return list.every((writeError) => (writeError.code ?? writeError.err?.code) === DUPLICATE_KEY) ? list : undefined
}

/** Unordered insertMany; returns the indexes refused as duplicates (any other error is thrown). */
export async function insertManyIgnoringDuplicates<T extends Document>(collection: Collection<T>, documents: readonly T[]): Promise<Set<number>> {
  const refused = new Set<number>()
  if (documents.length === 0) return refused
  try {
    await collection.insertMany(documents as OptionalUnlessRequiredId<T>[], { ordered: false })
  } catch (error) {
    const writeErrors = duplicateWriteErrors(error)
    if (!writeErrors) throw error
    for (const writeError of writeErrors) refused.add(writeError.index)
  }
  return refused
}

/**
 * Writes `document` under its `_id`: inserted if new, else `set` (default: every field but `_id`) is applied.
 * FerretDB: insert, then update on a duplicate key, because an upsert costs ten times as much there.
 * MongoDB: one `updateOne(…, { upsert: true })`.
 */
export async function putById<T extends Document & { _id: unknown }>(
  collection: Collection<T>,
  document: T,
  set: Partial<T> = withoutId(document),
  options: { retryWhenBusy?: boolean } = {},
): Promise<void> {
  const run = <R>(operation: () => Promise<R>) => (options.retryWhenBusy ? retryBusy(operation) : operation())
  const byId = { _id: document._id } as Filter<T>
  if (storageFlavorOf(collection) === 'mongodb') {
    const onInsert = Object.fromEntries(Object.entries(withoutId(document)).filter(([field]) => !(field in set)))
    const update = { $set: set, ...(Object.keys(onInsert).length > 0 ? { $setOnInsert: onInsert } : {}) } as UpdateFilter<T>
    await run(() => collection.updateOne(byId, update, { upsert: true }))
    return
  }
  try {
    await run(() => collection.insertOne(document as OptionalUnlessRequiredId<T>))
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error
    await run(() => collection.updateOne(byId, { $set: set } as UpdateFilter<T>))
  }
}

function withoutId<T extends { _id: unknown }>(document: T): Partial<T> {
  const { _id, ...rest } = document
  return rest as Partial<T>
}
