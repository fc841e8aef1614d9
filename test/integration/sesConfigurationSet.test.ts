import { describe, expect, it } from '@jest/globals'

import { createSesClient, createSesTransport } from '../../src/email/sesTransport'
import { uniqueEmail } from '../helpers/api'
import { waitForEmail } from '../helpers/mailbox'

/**
 * SES_CONFIGURATION_SET reaches SES on every message (event publishing and the account's suppression rules key on
 * it). The local SES server accepts the field but does not store it, so the request the real SES client signs and
 * sends is read at the SDK's last step before the wire.
 */
async function sendThroughTransport(configurationSetName: string | undefined): Promise<{ requestBody: Record<string, unknown>; to: string }> {
  const settings = { region: 'us-east-1', endpoint: process.env.SES_ENDPOINT, configurationSetName }
  const sesClient = createSesClient(settings)
  const bodies: string[] = []
  sesClient.middlewareStack.add(
    (next) => async (args) => {
      const body = (args.request as { body?: unknown }).body
      bodies.push(body instanceof Uint8Array ? new TextDecoder().decode(body) : String(body))
      return next(args)
    },
    { step: 'finalizeRequest', name: 'recordRequestBody' },
  )
  const to = uniqueEmail('configset')
  await createSesTransport(settings, sesClient).sendMail({ from: 'TutorTrack <no-reply@tutortrack.local>', to, subject: 'Configuration set check', text: 'hello', html: '<p>hello</p>' })
  await waitForEmail(to)
  expect(bodies).toHaveLength(1)
  return { requestBody: JSON.parse(bodies[0] as string) as Record<string, unknown>, to }
}

describe('SES configuration set', () => {
  it('is named on the SendEmail request when SES_CONFIGURATION_SET is set, and the message is delivered', async () => {
    const { requestBody } = await sendThroughTransport('tutortrack-events')
    expect(requestBody.ConfigurationSetName).toBe('tutortrack-events')
    expect(requestBody.Content).toEqual({ Raw: { Data: expect.any(String) } })
  })

  it('is left out when none is configured', async () => {
    const { requestBody } = await sendThroughTransport(undefined)
    expect(requestBody).not.toHaveProperty('ConfigurationSetName')
  })
})
