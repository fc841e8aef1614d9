import { ObjectId, type Collection, type Db, type Filter } from 'mongodb'

import type { StoredInvite } from './calendarInvite'

/**
 * The outbox: one document per message in the Payload collection `emails` (collections/Emails.ts), written
 * here through the driver so the dispatcher's bookkeeping runs no Payload hooks. Field names and types match
 * the Payload schema (dates as Date, the appointment relationship as ObjectId), so the admin panel reads them.
 */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled'

export type OutboxDocument = {
  _id: ObjectId
  to: string
  from?: string | null
  template: string
  subject: string
  html: string
  text: string
  attachments?: StoredInvite[]
  appointment?: ObjectId | string | null
  /** For reminders: the start the reminder was written for; the dispatcher re-checks it at send time. */
  appointmentStart?: Date | null
  status: OutboxStatus
  attempts: number
  /** Attempts already used when an admin last re-queued the message; the attempt limit counts from here. */
  attemptsBeforeRequeue?: number | null
  nextAttemptAt?: Date | null
  leaseUntil?: Date | null
  lastAttemptAt?: Date | null
  lastError?: string | null
  sesMessageId?: string | null
  sentAt?: Date | null
  dedupeKey: string
  /** Holds a one-time link (verify / reset): the body is blanked once sent. */
  sensitive?: boolean
  createdAt: Date
  updatedAt: Date
}

export type NewEmail = {
  to: string
  from?: string | null
  template: string
  subject: string
  html: string
  text: string
  attachments?: StoredInvite[]
  appointmentId?: string | null
  appointmentStart?: Date | null
  dedupeKey: string
  /** Earliest send time (reminders); now when omitted. */
  sendAt?: Date
  sensitive?: boolean
}

export type EnqueueResult = { id: string; created: boolean; status: OutboxStatus }

const DUPLICATE_KEY = 11000

export const toObjectIdIfValid = (id: string): ObjectId | string => (ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : id)

export const isDuplicateKeyError = (error: unknown): boolean => (error as { code?: number })?.code === DUPLICATE_KEY

export class Outbox {
  readonly collection: Collection<OutboxDocument>

  constructor(db: Db, collectionName = 'emails') {
    this.collection = db.collection<OutboxDocument>(collectionName)
  }

  /** Same key and options as Payload's `unique: true` field index, so whichever runs first, both agree. */
  async ensureIndexes(): Promise<void> {
    const create = async (keys: Record<string, 1>, options: Record<string, unknown> = {}) => {
      try {
        await this.collection.createIndex(keys, { background: true, ...options })
      } catch (error) {
        const code = (error as { code?: number }).code
        // 85/86: an index on the same keys exists with other options (e.g. built by Payload): it serves.
        if (code !== 85 && code !== 86) throw error
      }
    }
    await create({ dedupeKey: 1 }, { unique: true, sparse: true })
    await create({ status: 1, nextAttemptAt: 1 })
    await create({ appointment: 1 })
  }

  static document(message: NewEmail, now: Date): Omit<OutboxDocument, '_id'> {
    return {
      to: message.to,
      from: message.from ?? null,
      template: message.template,
      subject: message.subject,
      html: message.html,
      text: message.text,
      attachments: message.attachments ?? [],
      appointment: message.appointmentId ? toObjectIdIfValid(message.appointmentId) : null,
      appointmentStart: message.appointmentStart ?? null,
      status: 'queued',
      attempts: 0,
      attemptsBeforeRequeue: 0,
      nextAttemptAt: message.sendAt ?? now,
      leaseUntil: null,
      lastAttemptAt: null,
      lastError: null,
      sesMessageId: null,
      sentAt: null,
      dedupeKey: message.dedupeKey,
      sensitive: message.sensitive ?? false,
      createdAt: now,
      updatedAt: now,
    }
  }

  /** Inserts the message unless one with its dedupeKey exists (the unique index decides, on any replica). */
  async enqueue(message: NewEmail, now = new Date()): Promise<EnqueueResult> {
    try {
      const result = await this.collection.insertOne(Outbox.document(message, now) as OutboxDocument)
      return { id: result.insertedId.toHexString(), created: true, status: 'queued' }
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
      const existing = await this.collection.findOne({ dedupeKey: message.dedupeKey }, { projection: { _id: 1, status: 1 } })
      if (!existing) throw error
      return { id: existing._id.toHexString(), created: false, status: existing.status }
    }
  }

  /**
   * Like enqueue, but a message with the same key that was cancelled (a reminder for a start time the session
   * left and came back to) is brought back with fresh content. One sent or in flight is left alone.
   */
  async enqueueOrRevive(message: NewEmail, now = new Date()): Promise<EnqueueResult> {
    const result = await this.enqueue(message, now)
    if (result.created || result.status !== 'cancelled') return result
    const fresh = Outbox.document(message, now)
    const existing = await this.collection.findOne({ dedupeKey: message.dedupeKey })
    if (!existing || existing.status !== 'cancelled') return result
    await this.collection.updateOne(
      { _id: existing._id, status: 'cancelled' },
      {
        $set: {
          subject: fresh.subject,
          html: fresh.html,
          text: fresh.text,
          attachments: fresh.attachments,
          appointmentStart: fresh.appointmentStart,
          status: 'queued',
          nextAttemptAt: fresh.nextAttemptAt,
          attemptsBeforeRequeue: existing.attempts,
          lastError: null,
          updatedAt: now,
        },
      },
    )
    return { id: result.id, created: true, status: 'queued' }
  }

  /** Marks an appointment's still-queued messages of the given templates cancelled (never sent). */
  async cancelQueued(appointmentId: string, templates: readonly string[], reason: string, now = new Date()): Promise<number> {
    const result = await this.collection.updateMany(
      { appointment: toObjectIdIfValid(appointmentId), template: { $in: [...templates] }, status: 'queued' },
      { $set: { status: 'cancelled', lastError: reason, nextAttemptAt: null, updatedAt: now } },
    )
    return result.modifiedCount
  }

  /** Messages a dispatcher may take now: queued and due, or `sending` past their lease (owner presumed dead). */
  async due(now: Date, limit: number): Promise<OutboxDocument[]> {
    const filter: Filter<OutboxDocument> = {
      $or: [
        { status: 'queued', nextAttemptAt: { $lte: now } },
        { status: 'sending', leaseUntil: { $lte: now } },
      ],
    }
    // No sort: FerretDB sorts in memory after a full scan; the dispatcher shuffles a batch anyway.
    return this.collection.find(filter, { projection: { html: 0, text: 0, attachments: 0 } }).limit(limit).toArray()
  }

  async findById(id: string | ObjectId): Promise<OutboxDocument | null> {
    return this.collection.findOne({ _id: typeof id === 'string' ? new ObjectId(id) : id })
  }

  /**
   * An attempt owner's write. It is skipped when the message already records a later attempt, so a slow former
   * owner cannot overwrite the state written by the owner of a later attempt. (Read, then write by `_id` only:
   * FerretDB would not make a conditional update atomic anyway, and it only uses an index for `_id` filters.)
   */
  async writeAttempt(
    id: ObjectId,
    attempt: number,
    set: Partial<OutboxDocument>,
    options: { before?: boolean; unchecked?: boolean } = {},
  ): Promise<boolean> {
    if (!options.unchecked) {
      const current = await this.collection.findOne({ _id: id }, { projection: { attempts: 1 } })
      if (!current) return false
      const recorded = current.attempts ?? 0
      if (options.before ? recorded >= attempt : recorded > attempt) return false
    }
    await this.collection.updateOne({ _id: id }, { $set: { ...set, updatedAt: new Date() } })
    return true
  }
}

/** Whether a dispatcher may start an attempt on this message at `now`. */
export function isDispatchable(message: Pick<OutboxDocument, 'status' | 'nextAttemptAt' | 'leaseUntil'>, now: number): boolean {
  if (message.status === 'queued') return !message.nextAttemptAt || message.nextAttemptAt.getTime() <= now
  if (message.status === 'sending') return !message.leaseUntil || message.leaseUntil.getTime() <= now
  return false
}
