import type { EmailAdapter, Payload } from 'payload'

type InitializedEmailAdapter = ReturnType<EmailAdapter>

/** The real adapter (nodemailer → SES) behind the outbox wrapper, per Payload instance. */
const adapters = new WeakMap<Payload, InitializedEmailAdapter>()

export function registerDeliveryAdapter(payload: Payload, adapter: InitializedEmailAdapter): void {
  adapters.set(payload, adapter)
}

export function deliveryAdapterFor(payload: Payload): InitializedEmailAdapter {
  const adapter = adapters.get(payload)
  if (!adapter) throw new Error('No email delivery adapter: wrap the email adapter with outboxEmailAdapter() in payload.config.ts')
  return adapter
}
