import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'

import { ObjectId as ObjectIdClass, type Collection, type Db, type ObjectId } from 'mongodb'

import { isBooked } from '../scheduling'
import { findByIds } from '../storage/byId'
import { retryDelayMs } from './backoff'
import { isDispatchable, isFinal, Outbox, type OutboxDocument, type QueueEntry } from './outbox'
import { classifySendError, describeSendError } from './sendErrors'
import { SendClaims } from './sendClaims'
import type { EmailSettings } from './settings'

/** Sends due outbox messages, safely from any number of processes (docs/email.md, "Exactly once"). */
export type SendResult = { messageId?: string }
export type Sender = (message: OutboxDocument) => Promise<SendResult>
/** Renders a message stored with template props only (reminders) into its subject and body. */
export type Renderer = (message: OutboxDocument) => Promise<{ subject: string; html: string; text: string }>

export type Outcome = 'sent' | 'retry' | 'failed' | 'cancelled' | 'busy' | 'skipped'
export type DispatchStats = Record<Outcome, number> & { candidates: number }

export type DispatcherDeps = {
  db: Db
  outbox: Outbox
  claims: SendClaims
  settings: Pick<EmailSettings, 'leaseMs' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'sendTimeoutMs' | 'batchSize' | 'concurrency' | 'testSendDelayMs'>
  send: Sender
  render?: Renderer
  appointmentsCollection?: string
  log?: (event: string, details: Record<string, unknown>) => void
  now?: () => number
  random?: () => number
}

/**
 * How many batches' worth of due entries a poll reads before picking its random batch. FerretDB reads the whole
 * queue for any filter anyway; a wide window keeps processes polling together from picking the same messages
 * (measured with 3 dispatchers over 300 due: a 4-batch window left a third of all picks already taken).
 */
const DUE_WINDOW_BATCHES = 40

/** Templates re-checked against the appointment at send time. */
const STALE_CHECKED_TEMPLATES = new Set(['appointment-reminder'])

export const SCRUBBED_BODY = '(Removed after sending: this message contained a one-time link.)'

export const emptyStats = (): DispatchStats => ({ candidates: 0, sent: 0, retry: 0, failed: 0, cancelled: 0, busy: 0, skipped: 0 })

class SendTimeout extends Error {
  override name = 'SendTimeout'
}

export class EmailDispatcher {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  private readonly appointments: Collection<AppointmentState>
  private readonly now: () => number
  private readonly random: () => number

  constructor(private readonly deps: DispatcherDeps) {
    this.appointments = deps.db.collection(deps.appointmentsCollection ?? 'appointments')
    this.now = deps.now ?? Date.now
    this.random = deps.random ?? Math.random
  }

  /**
   * One batch of due messages, sent with bounded parallelism. The batch's messages, the re-reads after claiming
   * and the appointments behind its reminders are each read once per batch, by `_id` (src/storage/byId.ts).
   */
  async runOnce(): Promise<DispatchStats> {
    const stats = emptyStats()
    // Read a wider window than one batch and take a random batch of it, so processes polling together mostly
    // pick different messages instead of racing for the same claims.
    const window = await this.deps.outbox.dueEntries(new Date(this.now()), this.deps.settings.batchSize * DUE_WINDOW_BATCHES)
    const entries = shuffle(window, this.random).slice(0, this.deps.settings.batchSize)
    stats.candidates = entries.length
    if (entries.length === 0) return stats
    const count = (outcome: Outcome) => (stats[outcome] += 1)

    let messages: Map<string, OutboxDocument>
    try {
      messages = await this.deps.outbox.findByIds(entries.map((entry) => entry._id))
    } catch (error) {
      this.deps.log?.('email.dispatch_error', { error: (error as Error)?.message ?? String(error) })
      stats.busy += entries.length
      return stats
    }

    const claimed: { candidate: OutboxDocument; attempt: number }[] = []
    await forEachLimited(entries, this.deps.settings.concurrency, async (entry) => {
      try {
        const candidate = await this.candidateOf(entry, messages.get(entry._id))
        if (typeof candidate === 'string') return void count(candidate)
        const attempt = await this.claimNextAttempt(candidate._id.toHexString(), candidate.attempts)
        if (attempt === undefined) return void count('busy')
        claimed.push({ candidate, attempt })
      } catch (error) {
        this.deps.log?.('email.dispatch_error', { emailId: entry._id, error: (error as Error)?.message ?? String(error) })
        count('busy')
      }
    })
    if (claimed.length === 0) return stats

    // Decide on fresh reads, made after owning the attempts.
    let fresh: Map<string, OutboxDocument>
    let appointments: Map<string, AppointmentState>
    try {
      fresh = await this.deps.outbox.findByIds(claimed.map(({ candidate }) => candidate._id))
      appointments = await this.appointmentsOf([...fresh.values()])
    } catch (error) {
      this.deps.log?.('email.dispatch_error', { error: (error as Error)?.message ?? String(error) })
      await Promise.all(claimed.map(({ candidate, attempt }) => this.deps.claims.release(candidate._id.toHexString(), attempt).catch(() => undefined)))
      stats.busy += claimed.length
      return stats
    }
    await forEachLimited(claimed, this.deps.settings.concurrency, async ({ candidate, attempt }) => {
      const emailId = candidate._id.toHexString()
      try {
        const message = fresh.get(emailId) ?? null
        count(await this.proceed(message, emailId, attempt, message?.appointment ? appointments.get(String(message.appointment)) ?? null : null))
      } catch (error) {
        this.deps.log?.('email.dispatch_error', { emailId, error: (error as Error)?.message ?? String(error) })
        count('busy')
      }
    })
    return stats
  }

  /** Batches until nothing is due, every candidate is another process's, or `budgetMs` is spent. */
  async drain(options: { budgetMs?: number; shouldStop?: () => boolean } = {}): Promise<DispatchStats> {
    const total = emptyStats()
    const deadline = this.now() + (options.budgetMs ?? 50_000)
    while (this.now() < deadline && !options.shouldStop?.()) {
      const stats = await this.runOnce()
      for (const key of Object.keys(total) as (keyof DispatchStats)[]) total[key] += stats[key]
      const progressed = stats.sent + stats.retry + stats.failed + stats.cancelled
      if (stats.candidates === 0 || progressed === 0) break
    }
    return total
  }

  /** Tries the given messages now (the immediate kick after enqueueing). */
  async dispatchIds(ids: readonly string[]): Promise<DispatchStats> {
    const stats = emptyStats()
    for (const id of ids) {
      const message = await this.deps.outbox.findById(id)
      if (!message) continue
      stats.candidates += 1
      stats[await this.attemptSafely(message)] += 1
    }
    return stats
  }

  /**
   * The message a queue entry leads to, if it is worth claiming; otherwise what became of it. Tidies entries
   * whose message is settled, gone or not due yet.
   */
  private async candidateOf(entry: QueueEntry, message: OutboxDocument | undefined): Promise<OutboxDocument | Outcome> {
    const { outbox } = this.deps
    if (!message) {
      // The message insert may still be on its way (the entry is written first); give it a minute.
      if (entry.createdAt.getTime() < this.now() - 60_000) await outbox.queue.deleteOne({ _id: entry._id })
      return 'skipped'
    }
    if (isFinal(message.status)) {
      // Its owner removes the entry right after settling it; only an entry left behind long after is tidied
      // here, so processes polling together do not all write for the same message.
      if (message.updatedAt.getTime() < this.now() - 60_000) await outbox.unschedule(message._id)
      return 'skipped'
    }
    if (message.status === 'queued' && message.nextAttemptAt && message.nextAttemptAt.getTime() > this.now()) {
      await outbox.reschedule(message._id, message.nextAttemptAt)
      return 'skipped'
    }
    if (message.status === 'sending' && message.leaseUntil && message.leaseUntil.getTime() > this.now()) {
      // In flight elsewhere (its owner removes the entry when done). No write here: on FerretDB every
      // extra writer slows all of them down.
      return 'busy'
    }
    return isDispatchable(message, this.now()) ? message : 'skipped'
  }

  /** A database error on one message (the claim or a write) leaves it for a later tick; the batch goes on. */
  private async attemptSafely(candidate: OutboxDocument): Promise<Outcome> {
    try {
      return await this.attempt(candidate)
    } catch (error) {
      this.deps.log?.('email.dispatch_error', { emailId: candidate._id.toHexString(), error: (error as Error)?.message ?? String(error) })
      return 'busy'
    }
  }

  /** One attempt on one message, from claim to recorded outcome. Never throws for a send failure. */
  async attempt(candidate: OutboxDocument): Promise<Outcome> {
    const emailId = candidate._id.toHexString()
    if (!isDispatchable(candidate, this.now())) return 'skipped'

    const attempt = await this.claimNextAttempt(emailId, candidate.attempts)
    if (attempt === undefined) return 'busy'

    // The candidate may be stale: decide on a fresh read, made after owning the attempt.
    const message = await this.deps.outbox.findById(candidate._id)
    const appointments = message ? await this.appointmentsOf([message]) : new Map<string, AppointmentState>()
    return this.proceed(message, emailId, attempt, message?.appointment ? appointments.get(String(message.appointment)) ?? null : null)
  }

  /**
   * The rest of an attempt this process has claimed, on a read of the message (and of its appointment) made
   * after the claim.
   */
  private async proceed(message: OutboxDocument | null, emailId: string, attempt: number, appointment: AppointmentState | null): Promise<Outcome> {
    const { outbox, claims, settings } = this.deps
    if (!message || !isDispatchable(message, this.now()) || message.attempts >= attempt) {
      await claims.release(emailId, attempt)
      return 'skipped'
    }

    const used = attempt - (message.attemptsBeforeRequeue ?? 0)
    if (used > settings.maxAttempts) {
      await outbox.writeAttempt(message._id, attempt, {
        status: 'failed',
        attempts: attempt - 1,
        leaseUntil: null,
        nextAttemptAt: null,
        lastError: `${message.lastError ? `${message.lastError} — ` : ''}gave up: ${settings.maxAttempts} attempts used`,
      }, { before: true })
      await claims.release(emailId, attempt)
      return 'failed'
    }

    const stale = staleReason(message, appointment)
    if (stale) {
      await outbox.writeAttempt(message._id, attempt, { status: 'cancelled', attempts: attempt, leaseUntil: null, nextAttemptAt: null, lastError: stale }, { before: true })
      this.deps.log?.('email.cancelled_stale', { emailId, template: message.template, reason: stale })
      return 'cancelled'
    }

    const startedAt = this.now()
    const marked = await outbox.writeAttempt(message._id, attempt, {
      status: 'sending',
      attempts: attempt,
      leaseUntil: new Date(startedAt + settings.leaseMs),
      lastAttemptAt: new Date(startedAt),
    }, { unchecked: true })
    if (!marked) {
      await claims.release(emailId, attempt)
      return 'busy'
    }
    return this.deliver({ ...message, attempts: attempt }, startedAt)
  }

  /**
   * Sends a message this process inserted itself already `sending` as attempt 1 (Outbox.enqueueMany with
   * `sendNow`): winning the insert made it the owner of that attempt, so no claim and no re-read are needed.
   */
  async sendInserted(message: OutboxDocument): Promise<Outcome> {
    if (message.status !== 'sending' || !message.lastAttemptAt) return 'skipped'
    try {
      return await this.deliver(message, message.lastAttemptAt.getTime())
    } catch (error) {
      this.deps.log?.('email.dispatch_error', { emailId: message._id.toHexString(), error: (error as Error)?.message ?? String(error) })
      return 'busy'
    }
  }

  /** Renders (if stored as props), sends and records the outcome of an attempt this process owns. */
  private async deliver(message: OutboxDocument, startedAt: number): Promise<Outcome> {
    const { outbox, settings } = this.deps
    const emailId = message._id.toHexString()
    const attempt = message.attempts
    const used = attempt - (message.attemptsBeforeRequeue ?? 0)
    if (settings.testSendDelayMs > 0) await sleep(settings.testSendDelayMs)

    let outgoing = message
    let rendered: Awaited<ReturnType<Renderer>> | undefined
    if (message.renderProps && !message.html) {
      try {
        if (!this.deps.render) throw new Error('no renderer configured')
        rendered = await this.deps.render(message)
        outgoing = { ...message, ...rendered }
      } catch (error) {
        // A template that cannot render these props will not render them next time either.
        const lastError = `attempt ${attempt}: could not render the ${message.template} template: ${(error as Error)?.message ?? String(error)}`
        await outbox.writeAttempt(message._id, attempt, { status: 'failed', leaseUntil: null, nextAttemptAt: null, lastError }, { unchecked: true })
        this.deps.log?.('email.failed', { emailId, template: message.template, attempt, error: lastError })
        return 'failed'
      }
    }

    // Within the lease nobody else can own a later attempt: record the outcome without re-reading first.
    const withinLease = () => ({ unchecked: this.now() < startedAt + settings.leaseMs - 1_000 })
    try {
      const result = await withTimeout(this.deps.send(outgoing), settings.sendTimeoutMs)
      await outbox.writeAttempt(message._id, attempt, {
        // What was sent, for the admin panel.
        ...(rendered ? { ...rendered, renderProps: null } : {}),
        status: 'sent',
        sentAt: new Date(this.now()),
        sesMessageId: result.messageId ?? null,
        leaseUntil: null,
        nextAttemptAt: null,
        lastError: null,
        ...(message.sensitive ? { html: `<p>${SCRUBBED_BODY}</p>`, text: SCRUBBED_BODY } : {}),
      }, withinLease())
      this.deps.log?.('email.sent', { emailId, template: message.template, attempt, sesMessageId: result.messageId })
      return 'sent'
    } catch (error) {
      const problem = classifySendError(error)
      const lastError = `attempt ${attempt}: ${describeSendError(problem)}`
      const outOfAttempts = used >= settings.maxAttempts
      if (!problem.retry || outOfAttempts) {
        await outbox.writeAttempt(message._id, attempt, {
          status: 'failed',
          leaseUntil: null,
          nextAttemptAt: null,
          lastError: problem.retry ? `${lastError} — gave up: ${settings.maxAttempts} attempts used` : lastError,
        }, withinLease())
        this.deps.log?.('email.failed', { emailId, template: message.template, attempt, error: lastError })
        return 'failed'
      }
      const delay = retryDelayMs(used, { baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs }, this.random)
      await outbox.writeAttempt(message._id, attempt, {
        status: 'queued',
        leaseUntil: null,
        nextAttemptAt: new Date(this.now() + delay),
        lastError,
      }, withinLease())
      this.deps.log?.('email.retry', { emailId, template: message.template, attempt, retryInMs: delay, error: lastError })
      return 'retry'
    }
  }

  /**
   * Inserts the claim for the attempt after `recordedAttempts`. A claim already there belongs to a live owner
   * (young: give way) or to one that died before recording its attempt (older than the lease: take the next).
   */
  private async claimNextAttempt(emailId: string, recordedAttempts: number): Promise<number | undefined> {
    const { claims, settings } = this.deps
    let attempt = recordedAttempts + 1
    for (let tries = 0; tries < 5; tries++) {
      if (await claims.tryClaim(emailId, attempt, this.owner, new Date(this.now()))) return attempt
      const existing = await claims.get(emailId, attempt)
      if (!existing) continue // released in the meantime: try the same number again
      if (existing.createdAt.getTime() > this.now() - settings.leaseMs) return undefined
      attempt += 1
    }
    return undefined
  }

  /** The appointments behind the stale-checked messages among these, read by `_id`. */
  private async appointmentsOf(messages: readonly OutboxDocument[]): Promise<Map<string, AppointmentState>> {
    const ids = [...new Set(messages.filter((message) => STALE_CHECKED_TEMPLATES.has(message.template) && message.appointment).map((message) => String(message.appointment)))]
    if (ids.length === 0) return new Map()
    const found = await findByIds(this.appointments, ids.map((id) => new ObjectIdClass(id)), { projection: { status: 1, start: 1 } })
    return new Map(found.map((appointment) => [appointment._id.toHexString(), appointment]))
  }
}

type AppointmentState = { _id: ObjectId; status?: string; start?: Date }

/** Why a message must not go out any more, or undefined. Reminders must still match a booked session. */
function staleReason(message: OutboxDocument, appointment: AppointmentState | null): string | undefined {
  if (!STALE_CHECKED_TEMPLATES.has(message.template)) return undefined
  if (!message.appointment) return undefined
  if (!appointment) return 'Not sent: the appointment no longer exists.'
  if (!isBooked(appointment.status)) return `Not sent: the appointment is ${appointment.status}.`
  const start = appointment.start ? new Date(appointment.start).getTime() : NaN
  if (message.appointmentStart && start !== message.appointmentStart.getTime()) {
    return `Not sent: the appointment moved to ${new Date(start).toISOString()}.`
  }
  return undefined
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j], items[i]]
  }
  return items
}

async function forEachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]
      await run(item)
    }
  })
  await Promise.all(workers)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(`SES did not answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
