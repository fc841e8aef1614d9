import { randomUUID } from 'node:crypto'

import type { EmailAdapter, Payload, SendEmailOptions } from 'payload'

import { registerDeliveryAdapter } from './deliveryAdapters'
import { htmlToText, takeRenderedByHtml } from './render'
import { kickDispatch } from './kicks'
import { emailServicesFor } from './services'

/**
 * Wraps the real email adapter so that every message Payload (or any code calling `payload.sendEmail`) sends
 * becomes an outbox document first: Payload's own verification and password-reset mails included. The send
 * itself happens in the background (an immediate kick, then the scheduled dispatcher), through the real
 * adapter, which only the dispatcher calls.
 */
export function outboxEmailAdapter(inner: EmailAdapter | Promise<EmailAdapter>): Promise<EmailAdapter> {
  return Promise.resolve(inner).then(
    (realAdapter): EmailAdapter =>
      ({ payload }) => {
        const delivery = realAdapter({ payload })
        registerDeliveryAdapter(payload, delivery)
        return {
          name: `outbox(${delivery.name})`,
          defaultFromAddress: delivery.defaultFromAddress,
          defaultFromName: delivery.defaultFromName,
          sendEmail: (message: SendEmailOptions) => enqueueAdapterMessage(payload, message),
        }
      },
  )
}

const AUTH_TEMPLATES = new Set(['verify-email', 'reset-password'])

async function enqueueAdapterMessage(payload: Payload, message: SendEmailOptions): Promise<{ queued: true; id: string }> {
  const to = addressList(message.to)
  if (!to) throw new Error('Email has no recipient')
  const html = typeof message.html === 'string' ? message.html : ''
  const rendered = html ? takeRenderedByHtml(html) : undefined
  const text = typeof message.text === 'string' && message.text ? message.text : rendered?.text ?? (html ? htmlToText(html) : '')
  const template = rendered?.template ?? 'other'
  const { outbox } = await emailServicesFor(payload)
  const result = await outbox.enqueue({
    to,
    from: fromHeader(message.from),
    template,
    subject: typeof message.subject === 'string' ? message.subject : '(no subject)',
    html,
    text,
    dedupeKey: `${template}:${randomUUID()}`,
    // Verification / reset links are credentials: blanked once sent, and hidden from non-admin staff.
    sensitive: AUTH_TEMPLATES.has(template) || template === 'other',
  })
  kickDispatch(payload, [result.id])
  return { queued: true, id: result.id }
}

type AddressLike = string | { address: string; name?: string }

function formatAddress(value: AddressLike): string {
  if (typeof value === 'string') return value
  return value.name ? `"${value.name.replace(/"/g, '')}" <${value.address}>` : value.address
}

function addressList(value: unknown): string {
  if (!value) return ''
  const list = (Array.isArray(value) ? value : [value]) as AddressLike[]
  return list.map(formatAddress).join(', ')
}

function fromHeader(value: SendEmailOptions['from']): string | null {
  if (!value) return null
  return formatAddress(value as AddressLike)
}
