import type { Db } from 'mongodb'
import type { Payload } from 'payload'

import type { TemplateName } from '../../email-templates'
import { collectionNameOf, mongoDb } from '../storage/db'

import { CalendarSequences } from './calendarSequence'
import { deliveryAdapterFor } from './deliveryAdapters'
import { EmailDispatcher } from './dispatcher'
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
