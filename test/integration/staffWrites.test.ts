import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, testPayload, uniqueEmail } from '../helpers/api'
import { createStaff, createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'
import { emailsTo, waitForEmail } from '../helpers/mailbox'
import { CLAIMS_COLLECTION } from '../../src/booking/claimStore'
import { flushEmailKicks } from '../../src/email/kicks'
import type { Appointment, Tutor } from '../../src/payload-types'
import { mongoDb } from '../../src/storage/db'

/** Staff writes and the rules (#17): stranded sessions, sessions in the past, one cancellation path, readable refusals. */

let payload: Payload
let admin: { id: string; token: string }

const settle = async () => {
  await flushEmailKicks()
  await new Promise((resolve) => setTimeout(resolve, 500))
}

const claimsOf = (bookingKey: string) => mongoDb(payload).collection(CLAIMS_COLLECTION).countDocuments({ holder: bookingKey })
const stored = async (id: string) => (await payload.findByID({ collection: 'appointments', id, depth: 0, overrideAccess: true })) as Appointment

async function book(tutor: Tutor, student: TestStudent, start: string): Promise<Appointment> {
  const response = await api('POST', '/api/appointments', { token: student.token, body: { tutor: tutor.id, start, duration: 60 } })
  expect(response.status).toBe(201)
  return response.body.doc
}

beforeAll(async () => {
  payload = await testPayload()
  admin = await createStaff(payload, 'admin')
})

describe('time off or weekly hours over booked sessions', () => {
  it('is refused with the list of sessions in the tutor\'s zone, and nothing changes', async () => {
    const tutor = await createTutor(payload, { name: 'Ada Strand', timeZone: 'Europe/London', contactEmail: uniqueEmail('ada') })
    const student = await createStudent(payload, { label: 'strand' })
    const session = await book(tutor, student, futureUtc(10, 10))
    const timeOff = [{ start: futureUtc(10, 0), end: futureUtc(11, 0), reason: 'Conference' }]
    const refused = await api('PATCH', `/api/tutors/${tutor.id}`, { token: admin.token, body: { timeOff } })
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0].data).toEqual({ code: 'STRANDS_BOOKED_SESSIONS', field: 'timeOff' })
    expect(refused.body.errors[0].message).toMatch(/1 booked session of Ada Strand stranded: .* 10:00–11:00 \(tutor's time, Europe\/London\) with Test Student \(in the new time off\)/)
    const tutorAfter = (await payload.findByID({ collection: 'tutors', id: tutor.id, depth: 0, overrideAccess: true })) as Tutor
    expect(tutorAfter.timeOff ?? []).toEqual([])
    expect((await stored(session.id)).status).toBe('booked')

    const narrower = (tutor.weeklyAvailability ?? []).map((range) => ({ day: range.day, start: '12:00', end: '24:00' }))
    const hours = await api('PATCH', `/api/tutors/${tutor.id}`, { token: admin.token, body: { weeklyAvailability: narrower } })
    expect(hours.status).toBe(409)
    expect(hours.body.errors[0].data).toEqual({ code: 'STRANDS_BOOKED_SESSIONS', field: 'weeklyAvailability' })
    expect(hours.body.errors[0].message).toContain('(outside the new weekly hours)')
  })

  it('with "cancel these and notify" ticked: saved, the sessions cancelled the ordinary way, both told', async () => {
    const tutor = await createTutor(payload, { name: 'Bea Strand', contactEmail: uniqueEmail('bea') })
    const student = await createStudent(payload, { label: 'strandcancel' })
    const session = await book(tutor, student, futureUtc(12, 9))
    const untouched = await book(tutor, student, futureUtc(14, 9))
    expect(await claimsOf(session.bookingKey!)).toBeGreaterThan(0)
    const timeOff = [{ start: futureUtc(12, 0), end: futureUtc(13, 0) }]
    const saved = await api('PATCH', `/api/tutors/${tutor.id}`, { token: admin.token, body: { timeOff, cancelStrandedSessions: true } })
    expect(saved.status).toBe(200)
    expect(saved.body.doc.timeOff).toHaveLength(1)
    const raw = await mongoDb(payload).collection('tutors').findOne({ slug: tutor.slug })
    expect(raw).not.toHaveProperty('cancelStrandedSessions')

    const cancelled = await stored(session.id)
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.cancellation?.by).toBe('admin')
    expect(Date.parse(cancelled.cancellation!.at!)).toBeGreaterThan(Date.now() - 60_000)
    expect(cancelled.cancellation?.reason).toBe('Bea Strand is no longer available at this time.')
    expect(await claimsOf(session.bookingKey!)).toBe(0)
    expect((await stored(untouched.id)).status).toBe('booked')
    const studentMail = await waitForEmail(student.email, (mail) => mail.subject.startsWith('Cancelled:'))
    expect(studentMail.body.text).toContain('no longer available')
    await waitForEmail(tutor.contactEmail, (mail) => mail.subject.startsWith('Cancelled:'))
  })
})

describe('sessions in the past', () => {
  it('staff cannot book a session in the past: refused, nothing saved, no mail', async () => {
    const tutor = await createTutor(payload, { contactEmail: uniqueEmail('past') })
    const student = await createStudent(payload, { label: 'pastbook' })
    const refused = await api('POST', '/api/appointments', {
      token: admin.token,
      body: { tutor: tutor.id, student: student.id, start: futureUtc(-6, 10), end: futureUtc(-6, 11) },
    })
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0].data).toEqual({ code: 'SESSION_IN_PAST', field: 'start' })
    expect(refused.body.errors[0].message).toMatch(/which has already passed, so it cannot be booked\. Record a past session as completed or no-show/)
    expect((await payload.find({ collection: 'appointments', where: { tutor: { equals: tutor.id } }, overrideAccess: true })).totalDocs).toBe(0)
    await settle()
    expect(await emailsTo(student.email)).toHaveLength(0)
  })

  it('staff cannot move a booked session into the past', async () => {
    const tutor = await createTutor(payload, { contactEmail: uniqueEmail('pastmove') })
    const student = await createStudent(payload, { label: 'pastmove' })
    const session = await book(tutor, student, futureUtc(5, 10))
    const moved = await api('PATCH', `/api/appointments/${session.id}`, { token: admin.token, body: { start: futureUtc(-2, 10), end: futureUtc(-2, 11) } })
    expect(moved.status).toBe(409)
    expect(moved.body.errors[0].data.code).toBe('SESSION_IN_PAST')
    expect((await stored(session.id)).start).toBe(session.start)
  })

  it('a past session recorded as completed is saved and sends no mail', async () => {
    const tutor = await createTutor(payload, { contactEmail: uniqueEmail('pastdone') })
    const student = await createStudent(payload, { label: 'pastdone' })
    const recorded = await api('POST', '/api/appointments', {
      token: admin.token,
      body: { tutor: tutor.id, student: student.id, start: futureUtc(-6, 10), end: futureUtc(-6, 11), status: 'completed' },
    })
    expect(recorded.status).toBe(201)
    expect((await stored(recorded.body.doc.id)).status).toBe('completed')
    await settle()
    expect(await emailsTo(student.email)).toHaveLength(0)
    expect(await emailsTo(tutor.contactEmail)).toHaveLength(0)
  })
})

describe('the status dropdown\'s cancel', () => {
  it('goes the way of the cancel endpoint: by, at, reason, claims freed, both told', async () => {
    const tutor = await createTutor(payload, { contactEmail: uniqueEmail('dropdown') })
    const student = await createStudent(payload, { label: 'dropdown' })
    const session = await book(tutor, student, futureUtc(8, 10))
    expect(await claimsOf(session.bookingKey!)).toBeGreaterThan(0)
    // What the admin form sends: the whole group, empty.
    const patched = await api('PATCH', `/api/appointments/${session.id}`, {
      token: admin.token,
      body: { status: 'cancelled', cancellation: { by: null, at: null, reason: 'Tutor is ill' } },
    })
    expect(patched.status).toBe(200)
    const cancelled = await stored(session.id)
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.cancellation?.by).toBe('admin')
    expect(Date.parse(cancelled.cancellation!.at!)).toBeGreaterThan(Date.now() - 60_000)
    expect(cancelled.cancellation?.reason).toBe('Tutor is ill')
    expect(await claimsOf(session.bookingKey!)).toBe(0)
    const mail = await waitForEmail(tutor.contactEmail, (message) => message.subject.startsWith('Cancelled:'))
    expect(mail.body.text).toContain('Reason: Tutor is ill')
    await waitForEmail(student.email, (message) => message.subject.startsWith('Cancelled:'))
  })

  it('the cancel endpoint records the same', async () => {
    const tutor = await createTutor(payload, { contactEmail: uniqueEmail('endpoint') })
    const student = await createStudent(payload, { label: 'endpoint' })
    const session = await book(tutor, student, futureUtc(8, 12))
    const response = await api('POST', `/api/appointments/${session.id}/cancel`, { token: admin.token, body: { reason: 'Rota' } })
    expect(response.status).toBe(200)
    const cancelled = await stored(session.id)
    expect(cancelled.cancellation).toMatchObject({ by: 'admin', reason: 'Rota' })
    expect(Date.parse(cancelled.cancellation!.at!)).toBeGreaterThan(Date.now() - 60_000)
    expect(await claimsOf(session.bookingKey!)).toBe(0)
  })
})
