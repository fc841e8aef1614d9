import { pbkdf2Sync } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ObjectId } from 'mongodb'
import type { Payload } from 'payload'

import { mongoDb } from '../../src/storage/db'
import { settleForgotPasswordWork } from '../../collections/shared/authEndpoints/forgotPassword'
import { REGISTERED_MESSAGE } from '../../collections/Students/endpoints/register'
import { PAYLOAD_PBKDF2 } from '../../src/security/passwordHashing'
import { TOKEN_STAMPS_COLLECTION } from '../../src/security/tokenStamps'
import { api, graphql, testPayload, uniqueEmail } from '../helpers/api'
import { createStaff, createStudent, TEST_PASSWORD } from '../helpers/fixtures'
import { emailsTo, waitForEmail } from '../helpers/mailbox'

/**
 * Passwords, registration/login/reset without account enumeration, verification and reset links, sessions.
 * In-process (Payload's real route handler); rate limits per IP do not apply here (no client IP header).
 */
let payload: Payload

beforeAll(async () => {
  payload = await testPayload()
})

afterAll(() => settleForgotPasswordWork())

const fieldMessage = (body: any, path: string): string | undefined => body?.errors?.[0]?.data?.errors?.find((error: { path: string }) => error.path === path)?.message

function linkToken(text: string, kind: 'verify' | 'reset'): string {
  const match = text.match(kind === 'verify' ? /\/verify\?token=([A-Za-z0-9]+)/ : /\/reset-password\?token=([A-Za-z0-9]+)/)
  if (!match) throw new Error(`No ${kind} link in: ${text.slice(0, 300)}`)
  return match[1]
}

const rawStudent = (email: string) => mongoDb(payload).collection('students').findOne({ email })

async function registerAndVerify(email: string, password = TEST_PASSWORD): Promise<void> {
  const registered = await api('POST', '/api/students', { body: { email, password, fullName: 'Pat Policy', timeZone: 'UTC' } })
  expect(registered.status).toBe(201)
  const mail = await waitForEmail(email, (message) => /verify\?token=/.test(message.body.html ?? ''))
  expect((await api('POST', `/api/students/verify/${linkToken(mail.body.html ?? '', 'verify')}`)).status).toBe(200)
}

describe('password policy on every way a password is set', () => {
  it('registration refuses short and common passwords with a message saying why', async () => {
    const short = await api('POST', '/api/students', { body: { email: uniqueEmail('pw'), password: 'Tr0ub4dor&3', fullName: 'Pat', timeZone: 'UTC' } })
    expect(short.status).toBe(400)
    expect(fieldMessage(short.body, 'password')).toMatch(/at least 12 characters \(this one has 11\)/)

    const common = await api('POST', '/api/students', { body: { email: uniqueEmail('pw'), password: 'password1234', fullName: 'Pat', timeZone: 'UTC' } })
    expect(common.status).toBe(400)
    expect(fieldMessage(common.body, 'password')).toMatch(/common passwords/)

    const tooLong = await api('POST', '/api/students', { body: { email: uniqueEmail('pw'), password: 'a quiet lantern '.repeat(9), fullName: 'Pat', timeZone: 'UTC' } })
    expect(tooLong.status).toBe(400)
    expect(fieldMessage(tooLong.body, 'password')).toMatch(/at most 128/)

    const long128 = await api('POST', '/api/students', { body: { email: uniqueEmail('pw'), password: 'a quiet lantern '.repeat(8), fullName: 'Pat', timeZone: 'UTC' } })
    expect(long128.status).toBe(201)
  })

  it('a student changing their password meets the policy too; a good change ends their other sessions', async () => {
    const email = uniqueEmail('pwchange')
    await registerAndVerify(email)
    const first = await api('POST', '/api/students/login', { body: { email, password: TEST_PASSWORD } })
    const second = await api('POST', '/api/students/login', { body: { email, password: TEST_PASSWORD } })
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    const id = first.body.user.id

    const weak = await api('PATCH', `/api/students/${id}`, { token: first.body.token, body: { password: 'qwertyuiop123' } })
    expect(weak.status).toBe(400)
    expect(fieldMessage(weak.body, 'password')).toMatch(/common passwords/)

    const good = await api('PATCH', `/api/students/${id}`, { token: first.body.token, body: { password: 'velvet thunder on a tuesday' } })
    expect(good.status).toBe(200)
    expect((await api('GET', '/api/students/me', { token: first.body.token })).body.user?.id).toBe(id)
    expect((await api('GET', '/api/students/me', { token: second.body.token })).body.user).toBeNull()
  })

  it('staff users: creation and password change meet the policy', async () => {
    const admin = await createStaff(payload, 'admin')
    const weak = await api('POST', '/api/users', { token: admin.token, body: { email: uniqueEmail('staff'), password: 'letmein', name: 'New Editor', role: 'editor' } })
    expect(weak.status).toBe(400)
    expect(fieldMessage(weak.body, 'password')).toMatch(/at least 12/)
    const created = await api('POST', '/api/users', { token: admin.token, body: { email: uniqueEmail('staff'), password: 'orchard ladder copper nine', name: 'New Editor', role: 'editor' } })
    expect(created.status).toBe(201)
    const change = await api('PATCH', `/api/users/${admin.id}`, { token: admin.token, body: { password: '123456789012' } })
    expect(change.status).toBe(400)
    expect(fieldMessage(change.body, 'password')).toMatch(/common passwords/)
  })

  it('stores Payload PBKDF2-SHA256 (600,000 iterations) hashes with a random salt', async () => {
    const student = await createStudent(payload)
    const raw = await mongoDb(payload).collection('students').findOne({ _id: new ObjectId(student.id) })
    expect(raw?.salt).toMatch(/^[0-9a-f]{64}$/)
    expect(raw?.hash).toMatch(/^pbkdf2-sha256-v1:[0-9a-f]{64}$/)
    const expected = pbkdf2Sync(TEST_PASSWORD, raw!.salt, 600_000, 32, 'sha256').toString('hex')
    expect(raw!.hash).toBe(`${PAYLOAD_PBKDF2.prefix}${expected}`)
    expect(pbkdf2Sync('not the password', raw!.salt, 600_000, 32, 'sha256').toString('hex')).not.toBe(expected)
    const other = await createStudent(payload)
    const otherRaw = await mongoDb(payload).collection('students').findOne({ _id: new ObjectId(other.id) })
    expect(otherRaw?.salt).not.toBe(raw?.salt)
  })
})

describe('no account enumeration', () => {
  it('registration: an existing address gets the same answer, and its owner an email instead', async () => {
    const existing = await createStudent(payload, { label: 'enumreg' })
    const fresh = uniqueEmail('enumnew')
    const body = { password: 'marble canyon whistle seven', fullName: 'Eve Numerate', timeZone: 'UTC' }
    const forExisting = await api('POST', '/api/students', { body: { ...body, email: existing.email.toUpperCase() } })
    const forNew = await api('POST', '/api/students', { body: { ...body, email: fresh } })
    expect(forExisting.status).toBe(201)
    expect(forNew.status).toBe(201)
    expect(forExisting.body).toEqual({ message: REGISTERED_MESSAGE })
    expect(forNew.body).toEqual(forExisting.body)

    const mail = await waitForEmail(existing.email, (message) => /already have/i.test(message.subject))
    expect(mail.body.html).toContain(`${process.env.SERVER_URL}/forgot-password`)
    expect(mail.body.text).toContain(`${process.env.SERVER_URL}/forgot-password`)
    // The existing account is untouched: the old password still works.
    expect((await api('POST', '/api/students/login', { body: { email: existing.email, password: TEST_PASSWORD } })).status).toBe(200)
  })

  it('registration again for an unverified address sends a fresh verification link instead', async () => {
    const email = uniqueEmail('unverified')
    const body = { email, password: 'marble canyon whistle seven', fullName: 'Una Verified', timeZone: 'UTC' }
    expect((await api('POST', '/api/students', { body })).status).toBe(201)
    const first = await waitForEmail(email, (message) => /verify\?token=/.test(message.body.html ?? ''))
    const again = await api('POST', '/api/students', { body })
    expect(again.body).toEqual({ message: REGISTERED_MESSAGE })
    let mails = await emailsTo(email)
    for (let i = 0; i < 100 && mails.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      mails = await emailsTo(email)
    }
    expect(mails).toHaveLength(2)
    const oldToken = linkToken(first.body.html ?? '', 'verify')
    const newToken = linkToken(mails.find((mail) => !mail.body.html?.includes(oldToken))!.body.html ?? '', 'verify')
    expect((await api('POST', `/api/students/verify/${oldToken}`)).status).toBe(403)
    expect((await api('POST', `/api/students/verify/${newToken}`)).status).toBe(200)
  })

  it('login: an unknown email and a wrong password get the same status and body', async () => {
    const student = await createStudent(payload, { label: 'enumlogin' })
    const unknown = await api('POST', '/api/students/login', { body: { email: uniqueEmail('nobody'), password: 'whatever it is here' } })
    const wrong = await api('POST', '/api/students/login', { body: { email: student.email, password: 'whatever it is here' } })
    expect(unknown.status).toBe(401)
    expect(wrong.status).toBe(401)
    expect(unknown.body).toEqual(wrong.body)
    const staff = await createStaff(payload, 'editor')
    const staffUnknown = await api('POST', '/api/users/login', { body: { email: uniqueEmail('nostaff'), password: 'whatever it is here' } })
    const staffWrong = await api('POST', '/api/users/login', { body: { email: staff.email, password: 'whatever it is here' } })
    expect(staffUnknown.status).toBe(401)
    expect(staffUnknown.body).toEqual(staffWrong.body)
  })

  it('forgot password: the same answer for an unknown and a known address', async () => {
    const student = await createStudent(payload, { label: 'enumforgot' })
    const known = await api('POST', '/api/students/forgot-password', { body: { email: student.email } })
    const unknown = await api('POST', '/api/students/forgot-password', { body: { email: uniqueEmail('ghost') } })
    expect(known.status).toBe(200)
    expect(unknown.status).toBe(200)
    expect(known.body).toEqual(unknown.body)
    await waitForEmail(student.email, (message) => /reset-password\?token=/.test(message.body.html ?? ''))
  })
})

describe('the admin panel', () => {
  it('its multipart form posts (fields JSON-encoded in _payload) still log in and request resets', async () => {
    const staff = await createStaff(payload, 'editor')
    const form = async (fields: Record<string, unknown>) => {
      const data = new FormData()
      data.set('_payload', JSON.stringify(fields))
      const encoded = new Response(data)
      return { rawBody: await encoded.text(), headers: { 'Content-Type': encoded.headers.get('content-type')! } }
    }
    const login = await api('POST', '/api/users/login', await form({ email: staff.email, password: TEST_PASSWORD }))
    expect(login.status).toBe(200)
    expect(login.body.user.email).toBe(staff.email)
    const wrong = await api('POST', '/api/users/login', await form({ email: staff.email, password: 'not the password at all' }))
    expect(wrong.status).toBe(401)
    const forgot = await api('POST', '/api/users/forgot-password', await form({ email: staff.email }))
    expect(forgot.status).toBe(200)
    await settleForgotPasswordWork()
    const mail = await waitForEmail(staff.email, (message) => /reset/i.test(message.body.html ?? ''))
    expect(mail.body.html).toContain(`${process.env.SERVER_URL}/admin/reset/`)
  })
})

describe('links and sessions', () => {
  it('a verification link expires 24 hours after it was issued', async () => {
    const email = uniqueEmail('stale')
    expect((await api('POST', '/api/students', { body: { email, password: 'marble canyon whistle seven', fullName: 'Stale Link', timeZone: 'UTC' } })).status).toBe(201)
    const mail = await waitForEmail(email, (message) => /verify\?token=/.test(message.body.html ?? ''))
    const token = linkToken(mail.body.html ?? '', 'verify')
    // Pretend the link was issued 24 h + 1 min ago.
    const stamps = mongoDb(payload).collection(TOKEN_STAMPS_COLLECTION)
    const updated = await stamps.updateMany({ userId: String((await rawStudent(email))!._id) }, { $set: { at: new Date(Date.now() - 86_460_000), expiresAt: new Date(Date.now() - 60_000) } })
    expect(updated.modifiedCount).toBe(1)
    const refused = await api('POST', `/api/students/verify/${token}`)
    expect(refused.status).toBe(403)
    expect(refused.body.errors[0].message).toMatch(/expired/)
    expect((await rawStudent(email))!._verified).toBe(false)
    // Unknown tokens get the same answer.
    const unknown = await api('POST', `/api/students/verify/${'ab'.repeat(20)}`)
    expect(unknown.status).toBe(403)
    expect(unknown.body).toEqual(refused.body)
  })

  it('a reset link works once, within 1 hour, from SERVER_URL, and ends every other session', async () => {
    const student = await createStudent(payload, { label: 'resetonce' })
    const otherDevice = await api('POST', '/api/students/login', { body: { email: student.email, password: TEST_PASSWORD } })
    expect((await api('POST', '/api/students/forgot-password', { body: { email: student.email } })).status).toBe(200)
    const mail = await waitForEmail(student.email, (message) => /reset-password\?token=/.test(message.body.html ?? ''))
    expect(mail.body.html).toContain(`${process.env.SERVER_URL}/reset-password?token=`)
    const token = linkToken(mail.body.html ?? '', 'reset')
    const raw = await rawStudent(student.email)
    const validForMs = Date.parse(raw!.resetPasswordExpiration) - Date.now()
    expect(validForMs).toBeGreaterThan(55 * 60_000)
    expect(validForMs).toBeLessThanOrEqual(60 * 60_000)

    const weak = await api('POST', '/api/students/reset-password', { body: { token, password: 'iloveyou1234' } })
    expect(weak.status).toBe(400)
    expect(fieldMessage(weak.body, 'password')).toMatch(/common passwords/)

    const reset = await api('POST', '/api/students/reset-password', { body: { token, password: 'granite meadow lamp eleven' } })
    expect(reset.status).toBe(200)
    const again = await api('POST', '/api/students/reset-password', { body: { token, password: 'another fine passphrase' } })
    expect(again.status).toBe(403)
    // Sessions from before the reset are over; the one the reset opened works.
    expect((await api('GET', '/api/students/me', { token: student.token })).body.user).toBeNull()
    expect((await api('GET', '/api/students/me', { token: otherDevice.body.token })).body.user).toBeNull()
    expect((await api('GET', '/api/students/me', { token: reset.body.token })).body.user?.email).toBe(student.email)
  })

  it('an expired reset link is refused', async () => {
    const student = await createStudent(payload, { label: 'resetlate' })
    await api('POST', '/api/students/forgot-password', { body: { email: student.email } })
    const mail = await waitForEmail(student.email, (message) => /reset-password\?token=/.test(message.body.html ?? ''))
    await mongoDb(payload).collection('students').updateOne({ email: student.email }, { $set: { resetPasswordExpiration: new Date(Date.now() - 1000).toISOString() } })
    await settleForgotPasswordWork()
    const late = await api('POST', '/api/students/reset-password', { body: { token: linkToken(mail.body.html ?? '', 'reset'), password: 'granite meadow lamp eleven' } })
    expect(late.status).toBe(403)
  })

  it('logout ends the session on the server: the token stops working', async () => {
    const student = await createStudent(payload, { label: 'logout' })
    expect((await api('GET', '/api/students/me', { token: student.token })).body.user?.id).toBe(student.id)
    expect((await api('POST', '/api/students/logout', { token: student.token })).status).toBe(200)
    expect((await api('GET', '/api/students/me', { token: student.token })).body.user).toBeNull()
  })

  it('the auth cookie is HttpOnly and SameSite=Lax (Secure in production: see securityHttp.test.ts)', async () => {
    const student = await createStudent(payload, { label: 'cookie' })
    const login = await api('POST', '/api/students/login', { body: { email: student.email, password: TEST_PASSWORD } })
    const cookie = login.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/payload-token=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    // 8 hours.
    expect(login.body.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(8 * 3600 - 60)
    expect(login.body.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(8 * 3600)
  })

  it('auth mutations are not offered over GraphQL (they would bypass the limits)', async () => {
    const student = await createStudent(payload, { label: 'gql' })
    const login = await graphql(`mutation ($email: String!, $password: String!) { loginStudent(email: $email, password: $password) { token } }`, { email: student.email, password: TEST_PASSWORD })
    expect(login.body.errors?.[0]?.message).toMatch(/Cannot query field "loginStudent"/)
    const create = await graphql(`mutation { createStudent(data: { email: "x@example.com", password: "abc", fullName: "X", timeZone: "UTC" }) { id } }`)
    expect(create.body.errors?.[0]?.message).toMatch(/Cannot query field "createStudent"/)
  })
})
