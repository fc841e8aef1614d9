import { describe, expect, it } from '@jest/globals'

import { api, testPayload, uniqueEmail } from '../helpers/api'
import { waitForEmail } from '../helpers/mailbox'

/**
 * The account API the site's pages use beyond Payload's own: the pending choice (`?next=`) carried by the
 * verification mail, and POST /api/students/change-password (current password checked, policy applied, the
 * other sessions ended).
 */
const PASSWORD = 'correct horse battery staple'
const NEW_PASSWORD = 'velvet thunder on a tuesday'

const message = (body: any): string => body?.errors?.[0]?.message ?? ''
const studentsWithEmail = async (email: string) => (await (await testPayload()).find({ collection: 'students', where: { email: { equals: email } } })).totalDocs

async function verifiedStudent(label: string): Promise<string> {
  const email = uniqueEmail(label)
  await (await testPayload()).create({ collection: 'students', data: { email, password: PASSWORD, fullName: 'Cy Change', timeZone: 'UTC', _verified: true }, disableVerificationEmail: true })
  return email
}

const login = (email: string, password: string) => api('POST', '/api/students/login', { body: { email, password } })

describe('registration with a pending choice', () => {
  it('puts a site path given as ?next into the verification link, also when the link is sent again', async () => {
    const email = uniqueEmail('next-register')
    const next = '/tutors/ada-lovelace/confirm?start=2030-01-07T10:00:00.000Z&duration=60'
    const body = { email, password: PASSWORD, fullName: 'Nell Next', timeZone: 'UTC', language: 'es' }
    expect((await api('POST', `/api/students?next=${encodeURIComponent(next)}`, { body })).status).toBe(201)
    // language 'es': the verification mail is in Spanish.
    const first = await waitForEmail(email, (mail) => /Confirma tu dirección de correo/.test(mail.subject))
    expect(first.body.text).toMatch(new RegExp(`/verify\\?token=[0-9a-f]{40}&next=${encodeURIComponent(next).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))

    // Registering again while unverified sends a fresh link, with the new pending choice.
    expect((await api('POST', `/api/students?next=${encodeURIComponent('/account')}`, { body })).status).toBe(201)
    const second = await waitForEmail(email, (mail) => mail.messageId !== first.messageId && /Confirma tu dirección de correo/.test(mail.subject))
    expect(second.body.text).toMatch(/\/verify\?token=[0-9a-f]{40}&next=%2Faccount/)
  })

  it('refuses a next that is not a path of this site with a sentence, and creates nothing', async () => {
    for (const next of ['https://evil.example/', '//evil.example', '/\\evil.example', '/api/students']) {
      const email = uniqueEmail('next-evil')
      const refused = await api('POST', `/api/students?next=${encodeURIComponent(next)}`, { body: { email, password: PASSWORD, fullName: 'Eve', timeZone: 'UTC' } })
      expect(refused.status).toBe(400)
      expect(message(refused.body)).toMatch(/must be a page of this site/)
      expect(await studentsWithEmail(email)).toBe(0)
    }
  })
})

describe('POST /api/students/change-password', () => {
  it('needs a signed-in student and both passwords', async () => {
    const anonymous = await api('POST', '/api/students/change-password', { body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } })
    expect(anonymous.status).toBe(401)
    expect(message(anonymous.body)).toBe('Sign in to change your password.')

    const email = await verifiedStudent('change-fields')
    const token = (await login(email, PASSWORD)).body.token as string
    const missing = await api('POST', '/api/students/change-password', { token, body: { newPassword: NEW_PASSWORD } })
    expect(missing.status).toBe(400)
    expect(missing.body.errors[0]).toMatchObject({ message: 'Type your current password.', data: { field: 'currentPassword' } })
    const notJson = await api('POST', '/api/students/change-password', { token, rawBody: 'current=1', headers: { 'Content-Type': 'text/plain' } })
    expect(notJson.status).toBe(400)
  })

  it('checks the current password and the policy, then changes it and ends the other sessions', async () => {
    const email = await verifiedStudent('change-ok')
    const token = (await login(email, PASSWORD)).body.token as string
    const otherSession = (await login(email, PASSWORD)).body.token as string

    const wrong = await api('POST', '/api/students/change-password', { token, body: { currentPassword: 'not the password', newPassword: NEW_PASSWORD } })
    expect(wrong.status).toBe(400)
    expect(wrong.body.errors[0].data.field).toBe('currentPassword')
    const weak = await api('POST', '/api/students/change-password', { token, body: { currentPassword: PASSWORD, newPassword: 'password1234' } })
    expect(weak.status).toBe(400)
    expect(weak.body.errors[0]).toMatchObject({ message: expect.stringMatching(/common passwords/), data: { field: 'newPassword' } })
    expect((await login(email, PASSWORD)).status).toBe(200)

    const changed = await api('POST', '/api/students/change-password', { token, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } })
    expect(changed.status).toBe(200)
    expect(changed.body.message).toMatch(/Your password is changed/)
    expect((await login(email, PASSWORD)).status).toBe(401)
    expect((await login(email, NEW_PASSWORD)).status).toBe(200)
    // This session stays; the other one ends.
    expect((await api('GET', '/api/students/me', { token })).body.user?.email).toBe(email)
    expect((await api('GET', '/api/students/me', { token: otherSession })).body.user ?? null).toBeNull()
  })
})
