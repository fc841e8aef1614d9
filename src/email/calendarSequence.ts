import type { Collection, Db } from 'mongodb'

import { retryBusy } from './dbRetry'
import { isDuplicateKeyError } from './outbox'

/**
 * The iCalendar SEQUENCE of an appointment: 0 when booked, one more for every later change that sends an
 * update. Kept as one document per issued number, `_id` "<bookingKey>:<n>": the unique `_id` makes each
 * number go to exactly one change even when two replicas change the same appointment at once.
 */
export const CALENDAR_SEQUENCES_COLLECTION = 'calendar_sequences'

type SequenceDocument = { _id: string; bookingKey: string; n: number; createdAt: Date }

export class CalendarSequences {
  private readonly collection: Collection<SequenceDocument>

  constructor(db: Db) {
    this.collection = db.collection<SequenceDocument>(CALENDAR_SEQUENCES_COLLECTION)
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ bookingKey: 1, n: -1 })
  }

  async next(bookingKey: string, now = new Date()): Promise<number> {
    const latest = await this.collection.find({ bookingKey }).sort({ n: -1 }).limit(1).next()
    let n = latest ? latest.n + 1 : 0
    for (let tries = 0; tries < 50; tries++, n++) {
      try {
        await retryBusy(() => this.collection.insertOne({ _id: `${bookingKey}:${n}`, bookingKey, n, createdAt: now }))
        return n
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error
      }
    }
    throw new Error(`Could not take a calendar sequence number for ${bookingKey}`)
  }

  async current(bookingKey: string): Promise<number | undefined> {
    const latest = await this.collection.find({ bookingKey }).sort({ n: -1 }).limit(1).next()
    return latest?.n
  }
}
