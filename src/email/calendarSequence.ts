import type { Collection, Db } from 'mongodb'

import { takeNextNumber } from '../storage/counters'

/**
 * The iCalendar SEQUENCE of an appointment: 0 when booked (implicit, nothing stored), one more for every later
 * change that sends an update. Kept as one document per issued number, `_id` "<bookingKey>:<n>": the unique
 * `_id` makes each number go to exactly one change even when two replicas change the same appointment at once
 * (src/storage/counters.ts).
 */
export const CALENDAR_SEQUENCES_COLLECTION = 'calendar_sequences'

const MAX_CHANGES = 500

type SequenceDocument = { _id: string; bookingKey: string; n: number; createdAt: Date }

export class CalendarSequences {
  private readonly collection: Collection<SequenceDocument>

  constructor(db: Db) {
    this.collection = db.collection<SequenceDocument>(CALENDAR_SEQUENCES_COLLECTION)
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ bookingKey: 1, n: -1 })
  }

  /** The number for a change after the booking: 1, 2, … */
  async next(bookingKey: string, now = new Date()): Promise<number> {
    const n = await takeNextNumber(this.collection, 'bookingKey', bookingKey, () => ({ bookingKey, createdAt: now }), MAX_CHANGES)
    if (n !== undefined) return n
    throw new Error(`Could not take a calendar sequence number for ${bookingKey}`)
  }
}
