import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import nodemailer, { type Transporter } from 'nodemailer'

export type SesSettings = {
  region: string
  /** Only for a local SES server (aws-ses-v2-local); unset in production. */
  endpoint?: string
  configurationSetName?: string
  /** Abandon one SES request after this long (the dispatcher then retries; see EMAIL_SEND_TIMEOUT_MS). */
  requestTimeoutMs?: number
}

export function sesSettingsFromEnv(): SesSettings {
  return {
    region: process.env.AWS_REGION || process.env.SES_REGION || 'us-east-1',
    endpoint: process.env.SES_ENDPOINT || undefined,
    configurationSetName: process.env.SES_CONFIGURATION_SET || undefined,
    requestTimeoutMs: Number(process.env.EMAIL_SEND_TIMEOUT_MS) > 0 ? Number(process.env.EMAIL_SEND_TIMEOUT_MS) : 30_000,
  }
}

export function createSesClient(settings: SesSettings): SESv2Client {
  // Credentials come from the default AWS chain (env, shared config, IRSA / instance role); never from code.
  return new SESv2Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    // Retries belong to the outbox dispatcher (backoff, attempt limit, visible lastError), not to the SDK.
    maxAttempts: 1,
    ...(settings.requestTimeoutMs ? { requestHandler: { connectionTimeout: Math.min(5_000, settings.requestTimeoutMs), requestTimeout: settings.requestTimeoutMs } } : {}),
  })
}

/**
 * A nodemailer transport that sends through SES v2. Every message, Payload's own auth mails included,
 * is tagged with the configuration set so SES event publishing and suppression apply to all of them.
 */
export function createSesTransport(settings: SesSettings, sesClient = createSesClient(settings)): Transporter {
  const transport = nodemailer.createTransport({ SES: { sesClient, SendEmailCommand } })
  if (settings.configurationSetName) {
    const ConfigurationSetName = settings.configurationSetName
    transport.use('compile', (mail, done) => {
      const data = mail.data as { ses?: Record<string, unknown> }
      data.ses = { ...(data.ses ?? {}), ConfigurationSetName }
      done()
    })
  }
  return transport
}
