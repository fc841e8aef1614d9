import { ObjectId, type Collection, type Db } from 'mongodb'

import { retryBusy } from '../storage/busyRetry'
import { findByIds } from '../storage/byId'
import { insertManyIgnoringDuplicates, isDuplicateKeyError } from '../storage/duplicateKey'
import { QueueIndex, type QueueEntry, type QueueMeta } from '../storage/queueIndex'
import type { StoredInvite } from './calendarInvite'

/**
 * The outbox: one document per message in the Payload collection `emails` (collections/Emails/index.ts), written
 * here through the driver so the dispatcher's bookkeeping runs no Payload hooks. Field names and types match
 * the Payload schema (dates as Date, the appointment relationship as ObjectId), so the admin panel reads them.
 *
 * Beside it, the queue index (src/storage/queueIndex.ts) holds a pointer per message not yet settled, which
 * dispatchers poll; an hourly repair re-creates entries a crash may have lost.
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
  /** Template props of a message whose body is rendered when it is sent (reminders); null once rendered. */
  renderProps?: Record<string, unknown> | null
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
  /** Render the body at send time from these props (html and text stay empty until then). */
  renderProps?: Record<string, unknown> | null
  appointmentId?: string | null
  appointmentStart?: Date | null
  dedupeKey: string
  /** Earliest send time (reminders); now when omitted. */
  sendAt?: Date
  sensitive?: boolean
}

export type EnqueueResult = { id: string; created: boolean; status: OutboxStatus }

export const toObjectIdIfValid = (id: string): ObjectId | string => (ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : id)


export type { QueueEntry } from '../storage/queueIndex'

const FINAL_STATUSES = new Set<OutboxStatus>(['sent', 'failed', 'cancelled'])
export const isFinal = (status: OutboxStatus): boolean => FINAL_STATUSES.has(status)

export class Outbox {
  readonly collection: Collection<OutboxDocument>
  readonly queueIndex: QueueIndex

  constructor(db: Db, collectionName = 'emails') {
    this.collection = db.collection<OutboxDocument>(collectionName)
    this.queueIndex = new QueueIndex(db)
  }

  /** The queue index's collection (tests and housekeeping delete entries directly). */
  get queue(): Collection<QueueEntry> {
    return this.queueIndex.collection
  }

  /** Same key and options as Payload's `unique: true` field index, so whichever runs first, both agree. */
  async ensureIndexes(): Promise<void> {
    const create = async (collection: Collection<never>, keys: Record<string, 1>, options: Record<string, unknown> = {}) => {
      try {
        await collection.createIndex(keys, { background: true, ...options })
      } catch (error) {
        const code = (error as { code?: number }).code
        // 85/86: an index on the same keys exists with other options (e.g. built by Payload): it serves.
        if (code !== 85 && code !== 86) throw error
      }
    }
    const emails = this.collection as unknown as Collection<never>
    const queue = this.queue as unknown as Collection<never>
    await create(emails, { dedupeKey: 1 }, { unique: true, sparse: true })
    await create(emails, { status: 1, nextAttemptAt: 1 })
    await create(emails, { appointment: 1 })
    for (const { keys } of this.queueIndex.indexSpecs()) await create(queue, keys)
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
      renderProps: message.renderProps ?? null,
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

  /**
   * Inserts the message unless one with its dedupeKey exists (the unique index decides, on any replica).
   * The queue entry is written first, so a crash in between leaves an entry without a message (cleaned up by
   * the dispatcher), never a message nobody would send.
   */
  async enqueue(message: NewEmail, now = new Date()): Promise<EnqueueResult> {
    const _id = new ObjectId()
    const document = { _id, ...Outbox.document(message, now) } as OutboxDocument
    await this.schedule(_id, document.nextAttemptAt ?? now, { appointment: message.appointmentId ?? null, template: message.template }, now)
    try {
      await retryBusy(() => this.collection.insertOne(document))
      return { id: _id.toHexString(), created: true, status: 'queued' }
    } catch (error) {
      await this.unschedule(_id)
      if (!isDuplicateKeyError(error)) throw error
      const existing = await this.collection.findOne({ dedupeKey: message.dedupeKey }, { projection: { _id: 1, status: 1 } })
      if (!existing) throw error
      return { id: existing._id.toHexString(), created: false, status: existing.status }
    }
  }

  /**
   * Several new messages in two writes: their queue entries (one insertMany), then the messages (one
   * insertMany); the unique dedupeKey index drops any already queued, on any replica. Messages marked
   * `sendNow` are inserted already `sending` as attempt 1 with a lease (`sendingLeaseMs`): the process whose
   * insert won the key owns that attempt without a claim document and sends it at once
   * (EmailDispatcher.sendInserted); should it die, the queue entry falls due when the lease ends and any
   * dispatcher takes attempt 2, as for any abandoned attempt. A cancelled message with the same key (a reminder
   * for a start time the session left and came back to) is revived with the new content.
   */
  async enqueueMany(
    messages: readonly (NewEmail & { sendNow?: boolean })[],
    options: { now?: Date; sendingLeaseMs?: number } = {},
  ): Promise<{ inserted: OutboxDocument[]; results: EnqueueResult[] }> {
    const now = options.now ?? new Date()
    if (messages.length === 0) return { inserted: [], results: [] }
    const documents = messages.map((message): OutboxDocument => {
      const document = { _id: new ObjectId(), ...Outbox.document(message, now) } as OutboxDocument
      if (message.sendNow && options.sendingLeaseMs) {
        Object.assign(document, { status: 'sending', attempts: 1, lastAttemptAt: now, leaseUntil: new Date(now.getTime() + options.sendingLeaseMs) })
      }
      return document
    })
    const dueAt = (document: OutboxDocument) => (document.status === 'sending' ? document.leaseUntil : document.nextAttemptAt) ?? now
    await this.queueIndex.addMany(documents.map((document, i) => ({
      _id: document._id.toHexString(),
      dueAt: dueAt(document),
      appointment: messages[i].appointmentId ?? null,
      template: document.template,
      createdAt: now,
    })))
    const refused = await retryBusy(() => insertManyIgnoringDuplicates(this.collection, documents))
    const inserted: OutboxDocument[] = []
    const results: EnqueueResult[] = []
    for (const [i, document] of documents.entries()) {
      if (!refused.has(i)) {
        inserted.push(document)
        results.push({ id: document._id.toHexString(), created: true, status: document.status })
        continue
      }
      // Already queued by an earlier write or another process (rare): drop our entry, report theirs.
      await this.unschedule(document._id)
      const existing = await this.collection.findOne({ dedupeKey: document.dedupeKey }, { projection: { _id: 1, status: 1 } })
      if (!existing) throw new Error(`Could not queue ${document.dedupeKey}: refused as a duplicate, yet not found`)
      results.push(existing.status === 'cancelled'
        ? await this.enqueueOrRevive({ ...messages[i], sendAt: document.nextAttemptAt ?? undefined }, now)
        : { id: existing._id.toHexString(), created: false, status: existing.status })
    }
    return { inserted, results }
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
    await retryBusy(() => this.collection.updateOne(
      { _id: existing._id },
      {
        $set: {
          subject: fresh.subject,
          html: fresh.html,
          text: fresh.text,
          attachments: fresh.attachments,
          renderProps: fresh.renderProps,
          appointmentStart: fresh.appointmentStart,
          status: 'queued',
          nextAttemptAt: fresh.nextAttemptAt,
          attemptsBeforeRequeue: existing.attempts,
          lastError: null,
          updatedAt: now,
        },
      },
    ))
    await this.schedule(existing._id, fresh.nextAttemptAt ?? now, { appointment: message.appointmentId ?? null, template: message.template }, now)
    return { id: result.id, created: true, status: 'queued' }
  }

  /** Marks an appointment's still-queued messages of the given templates cancelled (never sent). */
  async cancelQueued(appointmentId: string, templates: readonly string[], reason: string, now = new Date()): Promise<number> {
    const entries = await this.queueIndex.ofAppointment(appointmentId, templates)
    let cancelled = 0
    for (const entry of entries) {
      const id = new ObjectId(entry._id)
      const message = await this.collection.findOne({ _id: id }, { projection: { status: 1 } })
      // One in flight is left to its dispatcher, which re-checks the appointment before sending.
      if (message && message.status !== 'queued') continue
      if (message) {
        await retryBusy(() => this.collection.updateOne({ _id: id }, { $set: { status: 'cancelled', lastError: reason, nextAttemptAt: null, updatedAt: now } }))
        cancelled += 1
      }
      await this.unschedule(id)
    }
    return cancelled
  }

  /** Queue entries due by `now` (messages queued and due, or in flight; the message decides). */
  async dueEntries(now: Date, limit: number): Promise<QueueEntry[]> {
    return this.queueIndex.due(now, limit)
  }

  /** Adds the message's queue entry, or moves the one already there. */
  async schedule(id: ObjectId, dueAt: Date, meta: QueueMeta, now = new Date()): Promise<void> {
    await this.queueIndex.put(id.toHexString(), dueAt, meta, now)
  }

  async reschedule(id: ObjectId, dueAt: Date): Promise<void> {
    await this.queueIndex.move(id.toHexString(), dueAt)
  }

  async unschedule(id: ObjectId): Promise<void> {
    await this.queueIndex.remove(id.toHexString())
  }

  /** Housekeeping: an unsettled message without a queue entry (a crash between two writes) gets one again. */
  async repairQueue(now = new Date()): Promise<number> {
    const unsettled = await this.collection
      .find({ status: { $in: ['queued', 'sending'] } }, { projection: { _id: 1, status: 1, nextAttemptAt: 1, leaseUntil: 1, appointment: 1, template: 1 } })
      .toArray()
    let repaired = 0
    for (const message of unsettled) {
      if (await this.queueIndex.has(message._id.toHexString())) continue
      const dueAt = (message.status === 'sending' ? message.leaseUntil : message.nextAttemptAt) ?? now
      await this.schedule(message._id, dueAt, { appointment: message.appointment ? String(message.appointment) : null, template: message.template }, now)
      repaired += 1
    }
    return repaired
  }

  /** Several messages by id (src/storage/byId.ts: one `_id` read per id on FerretDB, one `$in` on MongoDB). */
  async findByIds(ids: readonly (string | ObjectId)[]): Promise<Map<string, OutboxDocument>> {
    if (ids.length === 0) return new Map()
    const found = await findByIds(this.collection, ids.map((id) => (typeof id === 'string' ? new ObjectId(id) : id)))
    return new Map(found.map((message) => [message._id.toHexString(), message]))
  }

  async findById(id: string | ObjectId): Promise<OutboxDocument | null> {
    return this.collection.findOne({ _id: typeof id === 'string' ? new ObjectId(id) : id })
  }

  /**
   * An attempt owner's write. It is skipped when the message already records a later attempt, so a slow former
   * owner cannot overwrite the state written by the owner of a later attempt; `unchecked` skips that read when
   * the caller knows no later attempt can exist yet (it holds the claim and its lease has not run out).
   * (Read, then write by `_id` only: FerretDB would not make a conditional update atomic anyway, and it only
   * uses an index for `_id` filters.)
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
    await retryBusy(() => this.collection.updateOne({ _id: id }, { $set: { ...set, updatedAt: new Date() } }))
    if (set.status && isFinal(set.status)) await this.unschedule(id)
    else if (set.status === 'queued' && set.nextAttemptAt) await this.reschedule(id, set.nextAttemptAt)
    return true
  }
}

/** Whether a dispatcher may start an attempt on this message at `now`. */
export function isDispatchable(message: Pick<OutboxDocument, 'status' | 'nextAttemptAt' | 'leaseUntil'>, now: number): boolean {
  if (message.status === 'queued') return !message.nextAttemptAt || message.nextAttemptAt.getTime() <= now
  if (message.status === 'sending') return !message.leaseUntil || message.leaseUntil.getTime() <= now
  return false
}
