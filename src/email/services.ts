import type { Db } from 'mongodb'
import type { Payload } from 'payload'

import type { TemplateName } from '../../email-templates'
import { logger } from '../lib/logger'
import { onRequestsIdle, requestsInFlight } from '../lib/requestsInFlight'
import { collectionNameOf, mongoDb } from '../storage/db'

import { BackgroundWork } from './backgroundWork'
import { CalendarSequences } from './calendarSequence'
import { deliveryAdapterFor } from './deliveryAdapters'
import { EmailDispatcher, type DispatchStats } from './dispatcher'
import { MailIntents } from './mailIntents'
import { Outbox, type OutboxDocument } from './outbox'
import { renderEmail } from './render'
import { SendClaims } from './sendClaims'
import { emailSettingsFromEnv, type EmailSettings } from './settings'

/** The outbox, claims, sequences and dispatcher of one Payload instance (one per process, shared by hooks). */
export type EmailServices = {
  settings: EmailSettings
  db: Db
  outbox: Outbox
  claims: SendClaims
  sequences: CalendarSequences
  intents: MailIntents
  dispatcher: EmailDispatcher
}

const services = new WeakMap<Payload, Promise<EmailServices>>()

export function emailServicesFor(payload: Payload): Promise<EmailServices> {
  let found = services.get(payload)
  if (!found) {
    found = (async () => {
      const settings = emailSettingsFromEnv()
      const db = mongoDb(payload)
      const outbox = new Outbox(db, collectionNameOf(payload, 'emails'))
      const claims = new SendClaims(db)
      const sequences = new CalendarSequences(db)
      const intents = new MailIntents(db)
      await Promise.all([outbox.ensureIndexes(), claims.ensureIndexes(), sequences.ensureIndexes(), intents.ensureIndexes()])
      const dispatcher = new EmailDispatcher({
        db,
        outbox,
        claims,
        settings,
        appointmentsCollection: collectionNameOf(payload, 'appointments'),
        send: (message) => sendThroughAdapter(payload, message, settings),
        render: (message) => renderEmail(message.template as TemplateName, message.renderProps as never),
        log: (event, details) => {
          const level = event === 'email.sent' ? 'debug' : event === 'email.cancelled_stale' ? 'info' : 'warn'
          payload.logger[level]({ event, ...details }, event)
        },
      })
      return { settings, db, outbox, claims, sequences, intents, dispatcher }
    })()
    found.catch(() => services.delete(payload))
    services.set(payload, found)
  }
  return found
}

/** Hands one outbox message to the real (nodemailer → SES v2) adapter, never to the outbox wrapper. */
async function sendThroughAdapter(payload: Payload, message: OutboxDocument, settings: EmailSettings): Promise<{ messageId?: string }> {
  const adapter = deliveryAdapterFor(payload)
  const invite = message.attachments?.find((attachment) => attachment.contentType.startsWith('text/calendar'))
  const info = (await adapter.sendEmail({
    from: message.from || `"${adapter.defaultFromName || settings.fromName}" <${adapter.defaultFromAddress || settings.fromAddress}>`,
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    ...(invite ? { icalEvent: { method: invite.method, filename: invite.filename, content: invite.content } } : {}),
  })) as { response?: string; messageId?: string } | undefined
  // nodemailer's SES transport puts SES's own MessageId in `response`.
  return { messageId: info?.response ?? info?.messageId }
}

/* ------------------------------------------------------------------------------------------------------------
 * Immediate kicks: right after a message is queued, this process tries to send it in the background, so a
 * confirmation or verification email goes out within a second or so. The request never waits for it; the
 * scheduled dispatcher is the backstop if the kick fails or the process dies.
 * ---------------------------------------------------------------------------------------------------------- */
const inFlight = new Set<Promise<unknown>>()

export function kickDispatch(payload: Payload, ids: readonly string[]): void {
  if (ids.length === 0 || process.env.EMAIL_KICK_DISABLED === '1') return
  const run = new Promise<void>((resolve) => setImmediate(resolve))
    .then(async () => {
      const { dispatcher } = await emailServicesFor(payload)
      return dispatcher.dispatchIds(ids)
    })
    .catch((error: unknown) => {
      payload.logger.warn({ event: 'email.kick_failed', err: error }, 'Immediate email send failed; the scheduled dispatcher will retry')
    })
    .finally(() => inFlight.delete(run))
  inFlight.add(run)
}

/** Email work after a write: see backgroundWork.ts. EMAIL_BACKGROUND_BACKLOG and …_YIELD_MS tune it. */
const envWholeNumber = (name: string, fallback: number) => () => {
  const raw = process.env[name]?.trim()
  const value = Number(raw)
  return raw && Number.isInteger(value) && value >= 0 ? value : fallback
}
const backgroundWork = new BackgroundWork({
  maxParallel: 8,
  maxWaiting: envWholeNumber('EMAIL_BACKGROUND_BACKLOG', 1000),
  yieldMs: envWholeNumber('EMAIL_BACKGROUND_YIELD_MS', 30_000),
  requestsInFlight,
  onRequestsIdle,
  onError: (error) => logger.warn({ event: 'email.background_failed', err: error }, 'Background email work failed; a dispatcher tick will finish it'),
})

export function scheduleEmailWork(task: () => Promise<unknown>): { done: Promise<void>; backlogged: boolean } {
  return backgroundWork.schedule(task)
}

/** Waits for the kicks and background email work started so far (graceful shutdown, tests). */
export async function flushEmailKicks(): Promise<void> {
  await backgroundWork.flush()
  while (inFlight.size > 0) await Promise.allSettled([...inFlight])
}

export type { DispatchStats }
