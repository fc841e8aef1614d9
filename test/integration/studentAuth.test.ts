import { describe, expect, it } from '@jest/globals'

import { api, testPayload, uniqueEmail } from '../helpers/api'
import { waitForEmail } from '../helpers/mailbox'

const PASSWORD = 'correct horse battery staple'

function tokenFromLink(text: string, kind: 'verify' | 'reset'): string {
  const match = text.match(kind === 'verify' ? /\/verify\?token=([A-Za-z0-9]+)/ : /\/reset-password\?token=([A-Za-z0-9]+)/)
  if (!match) throw new Error(`No ${kind} link in: ${text.slice(0, 400)}`)
  return match[1]
}

describe('student registration, verification and password reset', () => {
  it('refuses login until the emailed verification link is used, then accepts it', async () => {
    await testPayload()
    const email = uniqueEmail('verify')
    const registered = await api('POST', '/api/students', {
      body: { email, password: PASSWORD, fullName: 'Vera Fy', timeZone: 'Europe/Kyiv' },
    })
    // The answer is the same for a new and a taken address (no account enumeration): no document in it.
    expect(registered.status).toBe(201)
    expect(registered.body).toEqual({ message: expect.any(String) })
    const [stored] = (await (await testPayload()).find({ collection: 'students', where: { email: { equals: email } }, showHiddenFields: true })).docs
    expect(stored.timeZone).toBe('Europe/Kyiv')
    expect(stored._verified).toBe(false)

    const before = await api('POST', '/api/students/login', { body: { email, password: PASSWORD } })
    expect(before.status).toBeGreaterThanOrEqual(400)
    expect(before.status).toBeLessThan(500)
    expect(before.body.token).toBeUndefined()

    const mail = await waitForEmail(email, (message) => /verify/i.test(message.body.html ?? ''))
    const token = tokenFromLink(mail.body.html ?? '', 'verify')
    // Built from SERVER_URL, and it opens the site's /verify page (followed in Chromium: test/browser/emailLinks.test.ts).
    expect(mail.body.html).toContain(`${process.env.SERVER_URL}/verify?token=${token}`)

    const verified = await api('POST', `/api/students/verify/${token}`)
    expect(verified.status).toBe(200)

    const after = await api('POST', '/api/students/login', { body: { email, password: PASSWORD } })
    expect(after.status).toBe(200)
    expect(typeof after.body.token).toBe('string')
  })

  it('a student cannot mark themself verified at registration', async () => {
    const email = uniqueEmail('selfverify')
    const registered = await api('POST', '/api/students', {
      body: { email, password: PASSWORD, fullName: 'Sly Student', timeZone: 'UTC', _verified: true },
    })
    // Registration accepts only email, password, fullName, timeZone and phone.
    expect(registered.status).toBe(400)
    expect(registered.body.errors[0].message).toMatch(/Unknown field\(s\): _verified/)
    const payload = await testPayload()
    expect((await payload.find({ collection: 'students', where: { email: { equals: email } } })).totalDocs).toBe(0)
    const login = await api('POST', '/api/students/login', { body: { email, password: PASSWORD } })
    expect(login.body.token).toBeUndefined()
  })

  it('resets a forgotten password with the emailed token: the old password stops working', async () => {
    const payload = await testPayload()
    const email = uniqueEmail('reset')
    await payload.create({
      collection: 'students',
      data: { email, password: PASSWORD, fullName: 'Ray Set', timeZone: 'UTC', _verified: true },
      disableVerificationEmail: true,
    })
    const forgot = await api('POST', '/api/students/forgot-password', { body: { email } })
    expect(forgot.status).toBe(200)
    const mail = await waitForEmail(email, (message) => /reset/i.test(message.body.html ?? ''))
    const token = tokenFromLink(mail.body.html ?? '', 'reset')

    const newPassword = 'a brand new passphrase 42'
    const reset = await api('POST', '/api/students/reset-password', { body: { token, password: newPassword } })
    expect(reset.status).toBe(200)

    const oldLogin = await api('POST', '/api/students/login', { body: { email, password: PASSWORD } })
    expect(oldLogin.status).toBe(401)
    const newLogin = await api('POST', '/api/students/login', { body: { email, password: newPassword } })
    expect(newLogin.status).toBe(200)
  })
})
