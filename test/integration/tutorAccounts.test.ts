import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import type { Appointment } from '../../src/payload-types'
import { api, testPayload, uniqueEmail } from '../helpers/api'
import { outboxDocs } from '../helpers/emailTestKit'
import { createStaff, createStudent, createTutor, createTutorAccount, futureUtc, TEST_PASSWORD, type TestStudent, type TestTutorAccount } from '../helpers/fixtures'
import { emailsTo, waitForEmail } from '../helpers/mailbox'

const NEW_PASSWORD = 'a tutor chose this one 42'


let payload: Payload
let admin: { id: string; token: string }
let editor: { id: string; token: string }
let student: TestStudent
let day = 20

beforeAll(async () => {
  payload = await testPayload()
  admin = await createStaff(payload, 'admin')
  editor = await createStaff(payload, 'editor')
  student = await createStudent(payload, { label: 'tutoraccounts' })
})

const stored = async (id: string) => (await payload.findByID({ collection: 'appointments', id, depth: 0, overrideAccess: true })) as Appointment

async function bookWith(tutorId: string, hour = 10): Promise<string> {
  const booked = await api('POST', '/api/appointments', { token: student.token, body: { tutor: tutorId, start: futureUtc(day++, hour), duration: 60 } })
  expect(booked.status).toBe(201)
  return String(booked.body.doc.id)
}

const linkIn = (text: string): string => /https?:\/\/\S+\/admin\/reset\/[^\s\]"]+/.exec(text)?.[0] ?? ''

describe('admins invite a tutor (POST /api/users/invite-tutor)', () => {
  it('creates the tutor account with no password anyone knows and mails a set-password link that signs them in', async () => {
    const tutor = await createTutor(payload, { name: 'Ivy Invited' })
    const invited = await api('POST', '/api/users/invite-tutor', { token: admin.token, body: { tutor: tutor.id } })
    expect(invited.status).toBe(201)
    expect(invited.body.user).toMatchObject({ email: tutor.contactEmail, name: 'Ivy Invited', role: 'tutor', tutor: tutor.id })
    expect(invited.body.message).toMatch(/Invitation sent to/)

    const mail = await waitForEmail(tutor.contactEmail, (email) => /invited/i.test(email.subject))
    const link = linkIn(mail.body.text ?? '')
    expect(link.startsWith(`${process.env.SERVER_URL}/admin/reset/`)).toBe(true)
    expect(mail.body.html).toContain('Choose your password')
    // Through the outbox, like all mail: one message, its body a credential (blanked once sent).
    const queued = await outboxDocs(payload, { to: tutor.contactEmail, template: 'staff-invite' })
    expect(queued).toHaveLength(1)
    expect(queued[0].sensitive).toBe(true)

    // The account cannot be signed in to until the tutor chooses a password.
    expect((await api('POST', '/api/users/login', { body: { email: tutor.contactEmail, password: TEST_PASSWORD } })).status).toBe(401)
    const token = decodeURIComponent(link.split('/admin/reset/')[1])
    const reset = await api('POST', '/api/users/reset-password', { body: { token, password: NEW_PASSWORD } })
    expect(reset.status).toBe(200)
    const login = await api('POST', '/api/users/login', { body: { email: tutor.contactEmail, password: NEW_PASSWORD } })
    expect(login.status).toBe(200)
    expect(login.body.user.role).toBe('tutor')
    expect(String(login.body.user.tutor?.id ?? login.body.user.tutor)).toBe(tutor.id)
    // The link works once.
    expect((await api('POST', '/api/users/reset-password', { body: { token, password: `${NEW_PASSWORD} again` } })).status).toBeGreaterThanOrEqual(400)
  })

  it('inviting a profile that has its account again mails a fresh link to that account (200)', async () => {
    const tutor = await createTutor(payload)
    expect((await api('POST', '/api/users/invite-tutor', { token: admin.token, body: { tutor: tutor.id } })).status).toBe(201)
    const again = await api('POST', '/api/users/invite-tutor', { token: admin.token, body: { tutor: tutor.id } })
    expect(again.status).toBe(200)
    expect(again.body.message).toMatch(/new set-password link/)
    expect((await payload.count({ collection: 'users', where: { tutor: { equals: tutor.id } }, overrideAccess: true })).totalDocs).toBe(1)
    await waitForEmail(tutor.contactEmail, () => true)
    const deadline = Date.now() + 15_000
    while ((await emailsTo(tutor.contactEmail)).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 150))
    expect(await emailsTo(tutor.contactEmail)).toHaveLength(2)
  })

  it('takes another address and name when given', async () => {
    const tutor = await createTutor(payload)
    const email = uniqueEmail('signin')
    const invited = await api('POST', '/api/users/invite-tutor', { token: admin.token, body: { tutor: tutor.id, email, name: 'Sign-in Name' } })
    expect(invited.status).toBe(201)
    expect(invited.body.user).toMatchObject({ email, name: 'Sign-in Name' })
    await waitForEmail(email, (mail) => /invited/i.test(mail.subject))
  })

  it('refuses with a sentence a person can act on', async () => {
    const tutor = await createTutor(payload)
    const cases: [string | undefined, unknown, number, RegExp][] = [
      [undefined, { tutor: tutor.id }, 401, /Sign in as an admin/],
      [editor.token, { tutor: tutor.id }, 403, /Only admins/],
      [admin.token, { tutor: 'nope' }, 400, /tutor: must be a 24-character document id/],
      [admin.token, { tutor: tutor.id, email: 'not-an-address' }, 400, /email: must be an email address/],
      [admin.token, { tutor: tutor.id, role: 'admin' }, 400, /role/],
      [admin.token, { tutor: '0123456789abcdef01234567' }, 404, /No tutor "0123456789abcdef01234567"/],
    ]
    for (const [token, body, status, message] of cases) {
      const response = await api('POST', '/api/users/invite-tutor', { token, body })
      expect({ body, status: response.status }).toEqual({ body, status })
      expect(response.body.errors?.[0]?.message ?? JSON.stringify(response.body)).toMatch(message)
    }
    const tutorAccount = await createTutorAccount(payload)
    expect((await api('POST', '/api/users/invite-tutor', { token: tutorAccount.token, body: { tutor: tutor.id } })).status).toBe(403)
    // An address a staff account already uses: nothing is created.
    const taken = await api('POST', '/api/users/invite-tutor', { token: admin.token, body: { tutor: tutor.id, email: tutorAccount.email } })
    expect(taken.status).toBe(409)
    expect(taken.body.errors[0].message).toMatch(/already uses/)
    expect((await payload.count({ collection: 'users', where: { tutor: { equals: tutor.id } }, overrideAccess: true })).totalDocs).toBe(0)
  })
})

describe("a tutor's own sessions", () => {
  let account: TestTutorAccount

  beforeAll(async () => {
    // Bookable 09:00–17:00 UTC only: a move outside those hours breaks the booking rules.
    const tutor = await createTutor(payload, { weeklyAvailability: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => ({ day: d as 'mon', start: '09:00', end: '17:00' })) })
    account = await createTutorAccount(payload, tutor)
  })

  it('moves under the same booking rules as a student: outside their hours is refused with the rule, inside is moved', async () => {
    const id = await bookWith(String(account.tutor.id))
    const before = await stored(id)
    const refused = await api('POST', `/api/appointments/${id}/reschedule`, { token: account.token, body: { start: futureUtc(day, 3) } })
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect(refused.status).toBeLessThan(500)
    expect(refused.body.errors[0].message.length).toBeGreaterThan(10)
    expect((await stored(id)).start).toBe(before.start)
    // The same through the admin panel's form (a PATCH of start/end).
    const patched = await api('PATCH', `/api/appointments/${id}`, { token: account.token, body: { start: futureUtc(day, 3), end: futureUtc(day, 4) } })
    expect(patched.status).toBeGreaterThanOrEqual(400)
    expect(patched.status).toBeLessThan(500)
    expect((await stored(id)).start).toBe(before.start)

    const moved = await api('POST', `/api/appointments/${id}/reschedule`, { token: account.token, body: { start: futureUtc(day, 13) } })
    expect(moved.status).toBe(200)
    expect((await stored(id)).start).toBe(futureUtc(day, 13))
  })

  it('cancels, and the cancellation records the tutor and which account', async () => {
    const id = await bookWith(String(account.tutor.id))
    const cancelled = await api('POST', `/api/appointments/${id}/cancel`, { token: account.token, body: { reason: 'Ill' } })
    expect(cancelled.status).toBe(200)
    expect((await stored(id)).cancellation).toMatchObject({ by: 'tutor', reason: 'Ill', userCollection: 'users', userId: account.id, at: expect.any(String) })
  })

  it('the status dropdown records the admin or the student who cancelled, by account', async () => {
    const byAdmin = await bookWith(String(account.tutor.id))
    expect((await api('PATCH', `/api/appointments/${byAdmin}`, { token: admin.token, body: { status: 'cancelled' } })).status).toBe(200)
    expect((await stored(byAdmin)).cancellation).toMatchObject({ by: 'admin', userCollection: 'users', userId: admin.id })
    const byStudent = await bookWith(String(account.tutor.id))
    expect((await api('POST', `/api/appointments/${byStudent}/cancel`, { token: student.token, body: {} })).status).toBe(200)
    expect((await stored(byStudent)).cancellation).toMatchObject({ by: 'student', userCollection: 'students', userId: student.id })
    // Nobody writes the account fields themself.
    const forged = await bookWith(String(account.tutor.id))
    await api('PATCH', `/api/appointments/${forged}`, { token: admin.token, body: { status: 'cancelled', cancellation: { userCollection: 'students', userId: student.id } } })
    expect((await stored(forged)).cancellation).toMatchObject({ userCollection: 'users', userId: admin.id })
  })

  it('a tutor cannot book, delete or cancel another tutor\'s session', async () => {
    const other = await createTutor(payload)
    const theirs = await bookWith(String(other.id))
    expect([401, 403]).toContain((await api('POST', '/api/appointments', { token: account.token, body: { tutor: account.tutor.id, student: student.id, start: futureUtc(day++, 11), duration: 60 } })).status)
    expect([403, 404]).toContain((await api('DELETE', `/api/appointments/${theirs}`, { token: account.token })).status)
    expect((await api('POST', `/api/appointments/${theirs}/cancel`, { token: account.token, body: {} })).status).toBe(404)
    expect((await stored(theirs)).status).toBe('booked')
  })
})


