import type { Collection, Filter, OptionalUnlessRequiredId } from 'mongodb'

import { retryBusy } from './busyRetry'
import { isDuplicateKeyError } from './duplicateKey'
import { storageFlavorOf } from './flavor'

export type NumberDocument = { _id: string; n: number }

/**
 * Takes the next number 1, 2, … of a group: one document per number, `_id` "<group>:<n>", so the unique `_id`
 * gives each number to exactly one caller even when several race. `groupField` holds the group in each
 * document; `{ [groupField]: 1, n: -1 }` must be indexed.
 */
export async function takeNextNumber<T extends NumberDocument>(
  collection: Collection<T>,
  groupField: keyof T & string,
  group: string,
  build: (n: number) => Omit<T, '_id' | 'n'>,
  max: number,
): Promise<number | undefined> {
  for (let n = await firstCandidate(collection, groupField, group); n <= max; n++) {
    try {
      await retryBusy(() => collection.insertOne({ ...build(n), _id: `${group}:${n}`, n } as OptionalUnlessRequiredId<T>))
      return n
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
    }
  }
  return undefined
}

/**
 * Where to start trying. FerretDB: at 1, trying `_id`s upwards, because it answers anything but an `$eq` with a
 * scan. MongoDB: one more than the highest number taken, read through the `{ group, n: -1 }` index.
 */
async function firstCandidate<T extends NumberDocument>(collection: Collection<T>, groupField: string, group: string): Promise<number> {
  if (storageFlavorOf(collection) !== 'mongodb') return 1
  const highest = await collection.findOne({ [groupField]: group } as Filter<T>, { sort: { n: -1 }, projection: { n: 1 } })
  return (highest?.n ?? 0) + 1
}
