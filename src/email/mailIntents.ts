import { ObjectId, type Collection, type Db } from 'mongodb'

import type { AppointmentSnapshot } from './appointmentEmailPlan'
import { retryBusy } from '../storage/busyRetry'

/** Write-ahead record of the mail an appointment write owes (why and how: docs/storage.md, "Mail intents"). */
export const MAIL_INTENTS_COLLECTION = 'email_intents'

export type MailIntent = {
  _id: ObjectId
  /** Names the appointment before it has an id (a new booking); unique among appointments. */
  bookingKey: string
  /** The appointment changed (unset for a new booking, whose id the database gives it on save). */
  appointmentId: string | null
  /** The appointment before the write (unset for a new booking). */
  previous: AppointmentSnapshot | null
  /** Calendar SEQUENCE taken for this change (null: a new booking, 0, or a change that sends nothing). */
  sequence: number | null
  /** When the write was made. */
  at: Date
  /** From when a dispatcher tick may expand it (the writing process normally has by then). */
  dueAt: Date
}

export class MailIntents {
  readonly collection: Collection<MailIntent>

  constructor(db: Db) {
    this.collection = db.collection<MailIntent>(MAIL_INTENTS_COLLECTION)
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ dueAt: 1 })
  }

  async record(intent: Omit<MailIntent, '_id'>): Promise<MailIntent> {
    const document = { _id: new ObjectId(), ...intent }
    await retryBusy(() => this.collection.insertOne(document))
    return document
  }

  async due(now: Date, limit: number): Promise<MailIntent[]> {
    return this.collection.find({ dueAt: { $lte: now } }).limit(limit).toArray()
  }

  /** Moves a due intent that cannot be settled yet (its appointment write may still be in flight) later. */
  async postpone(id: ObjectId, dueAt: Date): Promise<void> {
    await retryBusy(() => this.collection.updateOne({ _id: id }, { $set: { dueAt } }))
  }

  async settle(id: ObjectId): Promise<void> {
    await retryBusy(() => this.collection.deleteOne({ _id: id }))
  }
}
