import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, testPayload } from '../helpers/api'
import { createStaff, createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'
import { inviteOf } from '../helpers/emailTestKit'
import { emailsTo, waitForEmail } from '../helpers/mailbox'
import type { Tutor } from '../../src/payload-types'

/**
 * Issue #16: inside the tutor's cancellation cut-off a student cannot cancel, but can write to the tutor
 * (POST /api/appointments/:id/message): the mail reaches the tutor's private address through the outbox and
 * carries the student's name and words only. And a Spanish-speaking student's booking mail is in Spanish.
 */
let payload: Payload
let strict: Tutor
let student: TestStudent
let appointmentId: string

const message = (who: { token: string }, id: string, body: unknown, headers?: Record<string, string>) =>
  api('POST', `/api/appointments/${id}/message`, { token: who.token, body, headers })

beforeAll(async () => {
  payload = await testPayload()
  strict = await createTutor(payload, { name: 'Strict Messenger', timeZone: 'Europe/Paris', policy: { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 48 } } as Partial<Tutor>)
  student = await createStudent(payload, { label: 'messenger', timeZone: 'America/Chicago' })
  await payload.update({ collection: 'students', id: student.id, data: { fullName: 'Mia Messenger', phone: '+1 312 555 0100' } })
  const booked = await api('POST', '/api/appointments', { token: student.token, body: { tutor: strict.id, start: futureUtc(1, 15), duration: 60 } })
  expect(booked.status).toBe(201)
  appointmentId = String(booked.body.doc.id)
})

const saved = { ...process.env }
afterEach(() => {
  delete process.env.RATE_LIMIT_MESSAGE_TUTOR_PER_STUDENT
  Object.assign(process.env, { RATE_LIMIT_DISABLED: saved.RATE_LIMIT_DISABLED })
  if (saved.RATE_LIMIT_DISABLED === undefined) delete process.env.RATE_LIMIT_DISABLED
})

describe('a message to the tutor', () => {
  it('inside the cut-off the student cannot cancel, and their message reaches the tutor without their address', async () => {
    const cancel = await api('POST', `/api/appointments/${appointmentId}/cancel`, { token: student.token, body: {} })
    expect(cancel.status).toBe(409)
    expect(cancel.body.errors[0].data.code).toBe('CANCELLATION_CUTOFF_PASSED')
    expect(cancel.body.errors[0].message).toContain('(your time, America/Chicago)')

    const sent = await message(student, appointmentId, { message: '  I have a fever; could we move this to next week?  ' })
    expect(sent.status).toBe(202)
    expect(sent.body.message).toBe('Your message is on its way to Strict Messenger.')
    const mail = await waitForEmail(strict.contactEmail, (email) => /^Message from Mia Messenger/.test(email.subject))
    expect(mail.body.text).toContain('I have a fever; could we move this to next week?')
    expect(mail.body.text).toContain('(Europe/Paris)')
    for (const part of [mail.subject, mail.body.text ?? '', mail.body.html ?? '', ...(mail.replyTo ?? [])]) {
      expect(part).not.toContain(student.email)
      expect(part).not.toContain('555 0100')
    }
  })

  it('refuses what is not the student’s to send, with a sentence and a code', async () => {
    const other = await createStudent(payload, { label: 'nosy' })
    const notTheirs = await message(other, appointmentId, { message: 'hello' })
    expect(notTheirs.status).toBe(404)
    expect(notTheirs.body.errors[0].data.code).toBe('APPOINTMENT_NOT_FOUND')

    const empty = await message(student, appointmentId, { message: '   ' })
    expect(empty.status).toBe(400)
    expect(empty.body.errors[0]).toMatchObject({ message: 'Write a message to send.', data: { code: 'INVALID_REQUEST', field: 'message' } })
    const long = await message(student, appointmentId, { message: 'x'.repeat(2001) })
    expect(long.status).toBe(400)
    expect(long.body.errors[0].message).toBe('Your message is 2001 characters long; keep it to 2000.')
    const spanish = await message(student, appointmentId, { message: 42 }, { 'Accept-Language': 'es' })
    expect(spanish.body.errors[0].message).toBe('Escribe un mensaje para enviar.')

    const admin = await createStaff(payload, 'admin')
    expect((await message(admin, appointmentId, { message: 'hi' })).status).toBe(403)
    expect((await api('POST', `/api/appointments/${appointmentId}/message`, { body: { message: 'hi' } })).status).toBe(401)

    const cancelled = await api('POST', '/api/appointments', { token: other.token, body: { tutor: strict.id, start: futureUtc(9, 9), duration: 60 } })
    expect((await api('POST', `/api/appointments/${cancelled.body.doc.id}/cancel`, { token: other.token, body: {} })).status).toBe(200)
    const afterCancel = await message(other, String(cancelled.body.doc.id), { message: 'hi' })
    expect(afterCancel.status).toBe(409)
    expect(afterCancel.body.errors[0].data.code).toBe('NOT_CANCELLABLE')
  })

  it('is rate-limited per student', async () => {
    const chatty = await createStudent(payload, { label: 'chatty' })
    const booked = await api('POST', '/api/appointments', { token: chatty.token, body: { tutor: strict.id, start: futureUtc(1, 18), duration: 60 } })
    expect(booked.status).toBe(201)
    process.env.RATE_LIMIT_DISABLED = 'false'
    process.env.RATE_LIMIT_MESSAGE_TUTOR_PER_STUDENT = '2'
    const notes = async () => (await emailsTo(strict.contactEmail)).filter((email) => email.subject.startsWith('Message from')).length
    const before = await notes()
    expect((await message(chatty, String(booked.body.doc.id), { message: 'first note' })).status).toBe(202)
    expect((await message(chatty, String(booked.body.doc.id), { message: 'second note' })).status).toBe(202)
    const third = await message(chatty, String(booked.body.doc.id), { message: 'three' })
    expect(third.status).toBe(429)
    expect(third.body.errors[0].data.code).toBe('RATE_LIMITED')
    for (const words of ['first note', 'second note']) await waitForEmail(strict.contactEmail, (email) => (email.body.text ?? '').includes(words))
    expect(await notes()).toBe(before + 2)
  })
})

describe('a Spanish-speaking student’s mail', () => {
  it('the confirmation is in Spanish, in their zone, with the invite attached', async () => {
    const tutor = await createTutor(payload, { name: 'Lola Tutora', timeZone: 'UTC' })
    const maria = await createStudent(payload, { label: 'maria', timeZone: 'Europe/Madrid' })
    await payload.update({ collection: 'students', id: maria.id, data: { fullName: 'María', language: 'es' } })
    const start = futureUtc(12, 9)
    const booked = await api('POST', '/api/appointments', { token: maria.token, body: { tutor: tutor.id, start, duration: 60 } })
    expect(booked.status).toBe(201)
    expect(booked.body.message).toBe('Tu sesión está reservada.')
    const mail = await waitForEmail(maria.email, (email) => /^Reservada: Lola Tutora, /.test(email.subject))
    expect(mail.subject).toMatch(/\(Europe\/Madrid\)$/)
    expect(mail.body.text).toContain('Hola María, tu sesión está confirmada.')
    expect(mail.body.text).toMatch(/Cuándo: .*1[01]:00–1[12]:00 \(Europe\/Madrid\)/)
    expect(mail.body.text).toContain(`/bookings/${booked.body.doc.id}`)
    // The invite's title is the student's words too.
    expect(String(inviteOf(mail).event.summary)).toBe('Sesión de tutoría con Lola Tutora')
  })
})
