import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, testPayload, uniqueEmail } from '../helpers/api'
import { createStaff, createStudent, createTutor, type TestStudent } from '../helpers/fixtures'
import { emailsTo, sentEmails, waitForEmail, type StoredEmail } from '../helpers/mailbox'
import { inviteOf, makeDue, outboxDocs, outboxFor, waitUntil } from '../helpers/emailTestKit'
import { ObjectId } from 'mongodb'

import { expandDueMailIntents } from '../../src/email/appointmentMail'
import { appointmentSnapshot } from '../../src/scheduling'
import { flushEmailKicks } from '../../src/email/kicks'
import { emailServicesFor } from '../../src/email/services'
import { startBackgroundJobs } from '../../src/jobs/backgroundJobs'
import type { Tutor } from '../../src/payload-types'

const HOUR = 3_600_000
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * The next 15 January or 15 July at least 10 days ahead, 17:00 UTC: in January Los Angeles is on PST (UTC-8,
 * so 09:00), in July on PDT (UTC-7, so 10:00); Kolkata is UTC+5:30 all year (22:30). Always within the
 * fixtures' 365-day booking horizon.
 */
function nextFixedSession(): { start: number; laStart: string; laEnd: string; laDay: number } {
  const soonest = Date.now() + 10 * 24 * HOUR
  const year = new Date().getUTCFullYear()
  const candidates = [year, year + 1].flatMap((y) => [Date.UTC(y, 0, 15, 17), Date.UTC(y, 6, 15, 17)]).filter((t) => t >= soonest)
  const start = Math.min(...candidates)
  const january = new Date(start).getUTCMonth() === 0
  return { start, laStart: january ? '09:00' : '10:00', laEnd: january ? '10:00' : '11:00', laDay: 15 }
}

/** "Fri 15 Jan 2027" for the UTC calendar day of `instant` (the same day in LA and Kolkata for 17:00 UTC). */
function dayLabel(instant: number): string {
  const date = new Date(instant)
  return `${DAY_NAMES[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`
}

let payload: Payload
let tutor: Tutor
let student: TestStudent
let admin: { token: string }
let editor: { token: string }

const settle = async () => {
  await flushEmailKicks()
  await new Promise((resolve) => setTimeout(resolve, 300))
}

beforeAll(async () => {
  payload = await testPayload()
  tutor = await createTutor(payload, {
    name: 'Priya Raman',
    timeZone: 'Asia/Kolkata',
    contactEmail: uniqueEmail('priya'),
    meetingLocation: 'https://meet.example.com/priya',
  })
  student = await createStudent(payload, { timeZone: 'America/Los_Angeles', label: 'sam' })
  admin = await createStaff(payload, 'admin')
  editor = await createStaff(payload, 'editor')
})

describe('appointment emails', () => {
  const session = nextFixedSession()
  let appointmentId = ''
  let bookingKey = ''
  let confirmation: StoredEmail

  it('booking sends one confirmation to the student and one notice to the tutor, each in their own time zone', async () => {
    const booked = await api('POST', '/api/appointments', {
      token: student.token,
      body: { tutor: tutor.id, start: new Date(session.start).toISOString(), duration: 60, notes: 'Quadratics' },
    })
    expect(booked.status).toBe(201)
    appointmentId = booked.body.doc.id
    bookingKey = booked.body.doc.bookingKey
    expect(bookingKey).toBeTruthy()

    const day = dayLabel(session.start)
    confirmation = await waitForEmail(student.email, (mail) => mail.subject.startsWith('Booked:'))
    const notice = await waitForEmail(tutor.contactEmail, (mail) => mail.subject.startsWith('New booking:'))
    await settle()
    expect(await emailsTo(student.email)).toHaveLength(1)
    expect(await emailsTo(tutor.contactEmail)).toHaveLength(1)

    expect(confirmation.subject).toBe(`Booked: Priya Raman, ${day} ${session.laStart} (America/Los_Angeles)`)
    const manageUrl = `${process.env.SERVER_URL}/bookings/${appointmentId}`
    for (const part of [confirmation.body.text ?? '', confirmation.body.html ?? '']) {
      expect(part).toContain(`When: ${day} ${session.laStart}–${session.laEnd} (America/Los_Angeles)`)
      expect(part).toContain('Tutor: Priya Raman')
      expect(part).toContain('https://meet.example.com/priya')
      expect(part).toContain(manageUrl)
    }

    expect(notice.subject).toBe(`New booking: Test Student, ${day} 22:30 (Asia/Kolkata)`)
    expect(notice.body.text).toContain(`When: ${day} 22:30–23:30 (Asia/Kolkata)`)
    expect(notice.body.text).toContain('Student: Test Student')
    // The tutor's link opens their view of the session in the admin panel (where tutors sign in), not the student's page.
    expect(notice.body.text).toContain(`${process.env.SERVER_URL}/admin/collections/appointments/${appointmentId}`)
    expect(notice.body.text).not.toContain(manageUrl)
    expect(notice.attachments ?? []).toHaveLength(0)

    const { text, event } = inviteOf(confirmation)
    expect(text).toContain('METHOD:REQUEST')
    expect(event.uid).toBe(`${bookingKey}@tutortrack`)
    expect(new Date(event.start).getTime()).toBe(session.start)
    expect(new Date(event.end!).getTime()).toBe(session.start + HOUR)
    expect(Number(event.sequence)).toBe(0)
  })

  it('queues the reminders at their offsets, and records each sent message in the outbox', async () => {
    const docs = await outboxDocs(payload, { appointment: (await outboxDocs(payload, { template: 'appointment-confirmed', to: student.email }))[0].appointment })
    const byTemplate = (name: string) => docs.filter((doc) => doc.template === name)
    expect(byTemplate('appointment-confirmed')).toHaveLength(1)
    expect(byTemplate('appointment-confirmed')[0]).toMatchObject({ status: 'sent', attempts: 1, to: student.email })
    expect(byTemplate('appointment-confirmed')[0].sesMessageId).toMatch(/^ses-/)
    expect(byTemplate('tutor-new-booking')[0]).toMatchObject({ status: 'sent', to: tutor.contactEmail })
    const reminders = byTemplate('appointment-reminder')
    expect(reminders.map((doc) => doc.dedupeKey).sort()).toEqual(
      [1440, 60].map((offset) => `reminder:${appointmentId}:${new Date(session.start).toISOString()}:${offset}`).sort(),
    )
    for (const reminder of reminders) {
      expect(reminder.status).toBe('queued')
      const offset = Number(reminder.dedupeKey.split(':').pop())
      expect(reminder.nextAttemptAt?.getTime()).toBe(session.start - offset * 60_000)
      // Stored with its template props and subject; the body is rendered when it falls due.
      expect(reminder.subject).toMatch(/reminder/i)
      expect(reminder.html).toBe('')
      expect(reminder.renderProps).toMatchObject({ start: session.start, timeZone: 'America/Los_Angeles', offsetMinutes: offset })
    }

  })

  it('a reschedule sends an update with the same UID and a higher SEQUENCE, and moves the reminders', async () => {
    const newStart = session.start + 2 * HOUR
    const moved = await api('POST', `/api/appointments/${appointmentId}/reschedule`, { token: student.token, body: { start: new Date(newStart).toISOString() } })
    expect(moved.status).toBe(200)
    const update = await waitForEmail(student.email, (mail) => mail.subject.startsWith('Moved:'))
    const tutorUpdate = await waitForEmail(tutor.contactEmail, (mail) => mail.subject.startsWith('Moved:'))
    expect(tutorUpdate.body.text).toContain(`Was: ${dayLabel(session.start)} 22:30–23:30 (Asia/Kolkata)`)

    const before = inviteOf(confirmation).event
    const { text, event } = inviteOf(update)
    expect(text).toContain('METHOD:REQUEST')
    expect(event.uid).toBe(before.uid)
    expect(Number(event.sequence)).toBeGreaterThan(Number(before.sequence))
    expect(new Date(event.start).getTime()).toBe(newStart)

    const reminders = await outboxDocs(payload, { template: 'appointment-reminder', to: student.email })
    const oldStartKey = new Date(session.start).toISOString()
    expect(reminders.filter((doc) => doc.dedupeKey.includes(oldStartKey)).map((doc) => doc.status)).toEqual(['cancelled', 'cancelled'])
    const current = reminders.filter((doc) => doc.dedupeKey.includes(new Date(newStart).toISOString()))
    expect(current.map((doc) => doc.status)).toEqual(['queued', 'queued'])
    expect(current.every((doc) => doc.appointmentStart?.getTime() === newStart)).toBe(true)
  })

  it('a cancellation sends METHOD:CANCEL with the same UID and cancels the pending reminders', async () => {
    const cancelled = await api('POST', `/api/appointments/${appointmentId}/cancel`, { token: student.token, body: { reason: 'Exam moved' } })
    expect(cancelled.status).toBe(200)
    const mail = await waitForEmail(student.email, (message) => message.subject.startsWith('Cancelled:'))
    const tutorMail = await waitForEmail(tutor.contactEmail, (message) => message.subject.startsWith('Cancelled:'))
    expect(tutorMail.body.text).toContain('Reason: Exam moved')
    const { text, event } = inviteOf(mail)
    expect(text).toContain('METHOD:CANCEL')
    expect(event.uid).toBe(`${bookingKey}@tutortrack`)
    expect(event.status).toBe('CANCELLED')
    expect(Number(event.sequence)).toBeGreaterThanOrEqual(2)
    const reminders = await outboxDocs(payload, { template: 'appointment-reminder', to: student.email })
    expect(reminders.map((doc) => doc.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled'])
    await settle()
    expect(await emailsTo(student.email)).toHaveLength(3)
    expect(await emailsTo(tutor.contactEmail)).toHaveLength(3)
  })

  it('a booking cancelled at once: the confirmation goes before the cancellation, and no reminder stays queued', async () => {
    const quick = await createStudent(payload, { timeZone: 'UTC', label: 'quick' })
    const start = session.start + 50 * 24 * HOUR
    const booked = await api('POST', '/api/appointments', { token: quick.token, body: { tutor: tutor.id, start: new Date(start).toISOString(), duration: 30 } })
    expect(booked.status).toBe(201)
    // No waiting in between: both writes' mail is still in the background when the second is made.
    const cancelled = await api('POST', `/api/appointments/${booked.body.doc.id}/cancel`, { token: quick.token, body: {} })
    expect(cancelled.status).toBe(200)
    await settle()
    const mails = (await emailsTo(quick.email)).sort((a, b) => a.at - b.at)
    expect(mails.map((mail) => mail.subject.split(':')[0])).toEqual(['Booked', 'Cancelled'])
    const reminders = await outboxDocs(payload, { appointment: new ObjectId(booked.body.doc.id), template: 'appointment-reminder' })
    expect(reminders).toHaveLength(2)
    expect(reminders.map((doc) => doc.status)).toEqual(['cancelled', 'cancelled'])
  })

  it('a session booked inside the reminder window only gets the reminders still ahead', async () => {
    const other = await createStudent(payload, { timeZone: 'UTC', label: 'late' })
    const start = Math.ceil((Date.now() + 3 * HOUR) / (30 * 60_000)) * 30 * 60_000
    const booked = await api('POST', '/api/appointments', { token: other.token, body: { tutor: tutor.id, start: new Date(start).toISOString(), duration: 30 } })
    expect(booked.status).toBe(201)
    // The mail is queued right after the response, in the background.
    await flushEmailKicks()
    const reminders = await outboxDocs(payload, { template: 'appointment-reminder', to: other.email })
    expect(reminders.map((doc) => doc.dedupeKey)).toEqual([`reminder:${booked.body.doc.id}:${new Date(start).toISOString()}:60`])

    // Made due now: the dispatcher renders it, SES gets the whole message, and the outbox keeps what was sent.
    const services = await emailServicesFor(payload)
    await makeDue(services.outbox, { _id: reminders[0]._id })
    await services.dispatcher.drain({ budgetMs: 20_000 })
    const delivered = await waitForEmail(other.email, (email) => email.subject === reminders[0].subject)
    const when = `When: ${dayLabel(start)} ${new Date(start).toISOString().slice(11, 16)}–`
    expect(delivered.body.text).toContain(when)
    expect(delivered.body.html).toContain('Manage your booking')
    const [sentRecord] = await outboxDocs(payload, { _id: reminders[0]._id })
    expect(sentRecord).toMatchObject({ status: 'sent', renderProps: null })
    expect(sentRecord.text).toBe(delivered.body.text?.trim())
  })
})

describe('mail of a write whose process died (mail intents)', () => {
  const start = nextFixedSession().start + 30 * 24 * HOUR
  const bookingKey = `crashed-${Date.now().toString(36)}`
  let crashed: TestStudent
  let appointmentId = ''
  const manageUrl = () => `${process.env.SERVER_URL}/bookings/${appointmentId}`
  // The student's mail links the site's page of the booking, the tutor's the admin panel's view of it.
  const tutorUrl = () => `${process.env.SERVER_URL}/admin/collections/appointments/${appointmentId}`
  const mailsAbout = async (to: string) => (await emailsTo(to)).filter((mail) => [manageUrl(), tutorUrl()].some((url) => (mail.body.text ?? '').includes(url)))

  it('a normal booking leaves no intent behind', async () => {
    const other = await createStudent(payload, { label: 'intentless' })
    const booked = await api('POST', '/api/appointments', { token: other.token, body: { tutor: tutor.id, start: new Date(start + 6 * HOUR).toISOString(), duration: 30 } })
    expect(booked.status).toBe(201)
    await settle()
    const { intents } = await emailServicesFor(payload)
    expect(await intents.collection.countDocuments({ bookingKey: booked.body.doc.bookingKey })).toBe(0)
    expect((await emailsTo(other.email)).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Booked:/)])
  })

  it('a booking saved just before its process died: after the grace period one tick sends the confirmation and notice once, and queues the reminders', async () => {
    const services = await emailServicesFor(payload)
    crashed = await createStudent(payload, { timeZone: 'Europe/Berlin', label: 'crashed' })
    const at = Date.now()
    // What the booking request had written when it died: the intent (before the save), then the appointment.
    await services.intents.record({ bookingKey, appointmentId: null, previous: null, sequence: null, at: new Date(at), dueAt: new Date(at + 60_000) })
    const saved = await payload.db.create({
      collection: 'appointments',
      data: { tutor: tutor.id, student: crashed.id, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString(), status: 'booked', bookingKey, meetingLocation: 'Room 7', title: 'crashed' },
    })
    appointmentId = String(saved.id)

    // Within the grace period the writing process may still be at it: left alone.
    await expandDueMailIntents(payload, { now: at + 1_000 })
    expect(await services.intents.collection.countDocuments({ bookingKey })).toBe(1)
    expect(await emailsTo(crashed.email)).toHaveLength(0)

    // Past it, two replicas' ticks take it over at the same moment.
    await Promise.all([expandDueMailIntents(payload, { now: at + 61_000 }), expandDueMailIntents(payload, { now: at + 61_000 })])
    await settle()
    expect(await services.intents.collection.countDocuments({ bookingKey })).toBe(0)
    const toStudent = await mailsAbout(crashed.email)
    expect(toStudent.map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Booked: Priya Raman, .* \(Europe\/Berlin\)$/)])
    expect(inviteOf(toStudent[0]).event.uid).toBe(`${bookingKey}@tutortrack`)
    expect((await mailsAbout(tutor.contactEmail)).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^New booking: .*\(Asia\/Kolkata\)$/)])
    const reminders = await outboxDocs(payload, { appointment: new ObjectId(appointmentId), template: 'appointment-reminder' })
    expect(reminders.map((doc) => doc.status)).toEqual(['queued', 'queued'])
    const sentRecords = await outboxDocs(payload, { appointment: new ObjectId(appointmentId), template: { $ne: 'appointment-reminder' } })
    expect(sentRecords.map((doc) => [doc.template, doc.status, doc.attempts])).toEqual(
      expect.arrayContaining([['appointment-confirmed', 'sent', 1], ['tutor-new-booking', 'sent', 1]]),
    )
    expect(sentRecords).toHaveLength(2)
  })

  it('a move saved just before its process died: the tick sends the update with the SEQUENCE taken for it, and moves the reminders', async () => {
    const services = await emailServicesFor(payload)
    const current = await payload.db.findOne({ collection: 'appointments', where: { id: { equals: appointmentId } } })
    const previous = appointmentSnapshot(current as never)
    const sequence = await services.sequences.next(bookingKey)
    const at = Date.now()
    await services.intents.record({ bookingKey, appointmentId, previous, sequence, at: new Date(at), dueAt: new Date(at + 60_000) })
    const newStart = start + 2 * HOUR
    await payload.db.updateOne({ collection: 'appointments', id: appointmentId, data: { start: new Date(newStart).toISOString(), end: new Date(newStart + HOUR).toISOString() } })

    await expandDueMailIntents(payload, { now: at + 61_000 })
    await settle()
    const moved = (await mailsAbout(crashed.email)).filter((mail) => mail.subject.startsWith('Moved:'))
    expect(moved).toHaveLength(1)
    expect(Number(inviteOf(moved[0]).event.sequence)).toBe(sequence)
    expect(new Date(inviteOf(moved[0]).event.start).getTime()).toBe(newStart)
    const reminders = await outboxDocs(payload, { appointment: new ObjectId(appointmentId), template: 'appointment-reminder' })
    expect(reminders.filter((doc) => doc.status === 'cancelled').every((doc) => doc.appointmentStart?.getTime() === start)).toBe(true)
    expect(reminders.filter((doc) => doc.status === 'queued').map((doc) => doc.appointmentStart?.getTime())).toEqual([newStart, newStart])
  })

  it('an intent whose write never happened sends nothing and is dropped', async () => {
    const services = await emailServicesFor(payload)
    const at = Date.now()
    const neverSaved = `never-${Date.now().toString(36)}`
    await services.intents.record({ bookingKey: neverSaved, appointmentId: null, previous: null, sequence: null, at: new Date(at), dueAt: new Date(at + 60_000) })
    // A move that never reached the database: the appointment is as the intent's "before".
    const current = await payload.db.findOne({ collection: 'appointments', where: { id: { equals: appointmentId } } })
    await services.intents.record({ bookingKey, appointmentId, previous: appointmentSnapshot(current as never), sequence: 9, at: new Date(at), dueAt: new Date(at + 60_000) })
    const before = (await sentEmails()).length
    const outboxBefore = await outboxDocs(payload, { appointment: new ObjectId(appointmentId) })

    await expandDueMailIntents(payload, { now: at + 61_000 })
    await settle()
    expect(await services.intents.collection.countDocuments({ bookingKey: { $in: [neverSaved, bookingKey] } })).toBe(0)
    expect((await sentEmails()).length).toBe(before)
    expect(await outboxDocs(payload, { appointment: new ObjectId(appointmentId) })).toHaveLength(outboxBefore.length)
  })
})

describe('the outbox in the admin API', () => {
  async function failedEmail(to: string): Promise<string> {
    const outbox = await outboxFor(payload)
    const { id } = await outbox.enqueue({ to, template: 'other', subject: 'Requeue me', html: '<p>Hello</p>', text: 'Hello', dedupeKey: `test:${to}` })
    await outbox.collection.updateOne({ dedupeKey: `test:${to}` }, { $set: { status: 'failed', attempts: 8, lastError: 'attempt 8: MessageRejected: nope', nextAttemptAt: null } })
    await outbox.queue.deleteOne({ _id: id })
    return id
  }

  it('admins read the outbox; editors see neither the list nor a message; only admins re-queue', async () => {
    const to = uniqueEmail('requeue')
    const id = await failedEmail(to)
    const asEditor = await api('GET', `/api/emails/${id}`, { token: editor.token })
    expect(asEditor.status).toBe(403)
    expect(JSON.stringify(asEditor.body)).not.toContain(to)
    expect((await api('GET', '/api/emails?limit=5', { token: editor.token })).status).toBe(403)
    const asAdmin = await api('GET', `/api/emails/${id}`, { token: admin.token })
    expect(asAdmin.body.html).toBe('<p>Hello</p>')
    expect((await api('GET', `/api/emails/${id}`, { token: student.token })).status).toBe(403)

    expect((await api('POST', `/api/emails/${id}/requeue`, { token: editor.token })).status).toBe(403)
    expect((await api('PATCH', `/api/emails/${id}`, { token: editor.token, body: { status: 'queued' } })).status).toBe(403)

    const requeued = await api('POST', `/api/emails/${id}/requeue`, { token: admin.token })
    expect(requeued.status).toBe(200)
    expect(requeued.body.doc.status).toBe('queued')
    await waitForEmail(to, (mail) => mail.subject === 'Requeue me')
    const [doc] = await outboxDocs(payload, { to })
    expect(doc).toMatchObject({ status: 'sent', attempts: 9, attemptsBeforeRequeue: 8 })
  })

  it('the admin panel path: saving status Queued on a failed email sends it; other status changes are refused', async () => {
    const to = uniqueEmail('panel')
    const id = await failedEmail(to)
    const saved = await api('PATCH', `/api/emails/${id}`, { token: admin.token, body: { status: 'queued', subject: 'tampered', to: 'someone@else.example' } })
    expect(saved.status).toBe(200)
    await waitForEmail(to, (mail) => mail.subject === 'Requeue me')
    await settle()
    const [doc] = await outboxDocs(payload, { to })
    expect(doc.status).toBe('sent')
    expect(doc.subject).toBe('Requeue me')
    const refused = await api('PATCH', `/api/emails/${id}`, { token: admin.token, body: { status: 'queued' } })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toContain('Only a failed or cancelled email can be re-queued')
    expect((await api('POST', '/api/emails', { token: admin.token, body: { to, subject: 'x', template: 'other', dedupeKey: 'x' } })).status).toBe(403)
  })

  it('verification mail is an outbox document with HTML and text, blanked once sent', async () => {
    const email = uniqueEmail('outboxverify')
    const registered = await api('POST', '/api/students', { body: { email, password: 'correct horse battery staple', fullName: 'Vera', timeZone: 'UTC' } })
    expect(registered.status).toBe(201)
    const mail = await waitForEmail(email)
    expect(mail.body.html).toContain(`${process.env.SERVER_URL}/verify?token=`)
    expect(mail.body.text).toContain(`${process.env.SERVER_URL}/verify?token=`)
    const [doc] = await waitUntil('the verify email to be recorded as sent', async () => {
      const docs = await outboxDocs(payload, { to: email })
      return docs[0]?.status === 'sent' ? docs : undefined
    })
    expect(doc).toMatchObject({ template: 'verify-email', subject: 'Confirm your email address for TutorTrack', sensitive: true })
    expect(doc.html).not.toContain('token=')
    expect(doc.text).not.toContain('token=')
  })
})

describe('background jobs', () => {
  it('the scheduled tick sends what is due, without any kick, and stops cleanly', async () => {
    const outbox = await outboxFor(payload)
    const to = uniqueEmail('tick')
    await outbox.enqueue({ to, template: 'other', subject: 'Due by tick', html: '<p>tick</p>', text: 'tick', dedupeKey: `test:${to}` })
    const later = uniqueEmail('later')
    await outbox.enqueue({ to: later, template: 'other', subject: 'Not yet', html: '<p>later</p>', text: 'later', dedupeKey: `test:${later}`, sendAt: new Date(Date.now() + 3_600_000) })
    const jobs = startBackgroundJobs(payload, { intervalMs: 200 })
    try {
      await waitForEmail(to, (mail) => mail.subject === 'Due by tick')
    } finally {
      await jobs.stop()
    }
    expect(await emailsTo(later)).toHaveLength(0)
    expect((await outboxDocs(payload, { to: later }))[0].status).toBe('queued')
  })

  it('the node-schedule cron tick (as deployed) sends what fell due after the start-up catch-up', async () => {
    const jobs = startBackgroundJobs(payload, { cron: '* * * * * *' })
    try {
      // Past the catch-up tick at start, so only a cron tick can send this one.
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      const to = uniqueEmail('cron')
      await (await outboxFor(payload)).enqueue({ to, template: 'other', subject: 'Due by cron', html: '<p>cron</p>', text: 'cron', dedupeKey: `test:${to}` })
      // A tick each second, each starting within 3 s of jitter.
      await waitForEmail(to, (mail) => mail.subject === 'Due by cron', 15_000)
      expect((await outboxDocs(payload, { to }))[0]).toMatchObject({ status: 'sent', attempts: 1 })
    } finally {
      await jobs.stop()
    }
  })
})
