import type { Collection, Db } from 'mongodb'

import { retryBusy } from './busyRetry'
import { insertManyIgnoringDuplicates, putById } from './duplicateKey'

/**
 * `email_queue`: one small entry per outbox message not yet settled (`_id` = the email's id, `dueAt`), which
 * dispatchers poll instead of the outbox. FerretDB answers any query but an `$eq` by scanning the whole
 * collection, and the outbox keeps every body ever sent. The entry is only a pointer; the email document stays
 * the truth. On MongoDB the `{ status, nextAttemptAt }` index of `emails` could serve the poll instead.
 */
export const EMAIL_QUEUE_COLLECTION = 'email_queue'

export type QueueEntry = { _id: string; dueAt: Date; appointment?: string | null; template: string; createdAt: Date }

export type QueueMeta = { appointment?: string | null; template: string }

export class QueueIndex {
  readonly collection: Collection<QueueEntry>

  constructor(db: Db) {
    this.collection = db.collection<QueueEntry>(EMAIL_QUEUE_COLLECTION)
  }

  indexSpecs(): { keys: Record<string, 1> }[] {
    return [{ keys: { dueAt: 1 } }, { keys: { appointment: 1 } }]
  }

  /** Entries for several messages in one write; ones already there are left as they are. */
  async addMany(entries: readonly QueueEntry[]): Promise<void> {
    await retryBusy(() => insertManyIgnoringDuplicates(this.collection, entries))
  }

  /** Entries due by `now` (messages queued and due, or in flight; the message decides). */
  async due(now: Date, limit: number): Promise<QueueEntry[]> {
    // No sort: FerretDB sorts in memory; the dispatcher shuffles a batch anyway.
    return this.collection.find({ dueAt: { $lte: now } }).limit(limit).toArray()
  }

  async ofAppointment(appointmentId: string, templates: readonly string[]): Promise<QueueEntry[]> {
    return this.collection.find({ appointment: appointmentId, template: { $in: [...templates] } }).toArray()
  }

  async has(id: string): Promise<boolean> {
    return (await this.collection.findOne({ _id: id }, { projection: { _id: 1 } })) !== null
  }

  /** Adds the entry, or moves one already there. */
  async put(id: string, dueAt: Date, meta: QueueMeta, now = new Date()): Promise<void> {
    const appointment = meta.appointment ?? null
    await putById(this.collection, { _id: id, dueAt, appointment, template: meta.template, createdAt: now }, { dueAt, appointment, template: meta.template }, { retryWhenBusy: true })
  }

  async move(id: string, dueAt: Date): Promise<void> {
    await retryBusy(() => this.collection.updateOne({ _id: id }, { $set: { dueAt } }))
  }

  async remove(id: string): Promise<void> {
    await retryBusy(() => this.collection.deleteOne({ _id: id }))
  }
}
