import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, testPayload, uniqueEmail } from '../helpers/api'
import { createStudent, createTutor, type TestStudent } from '../helpers/fixtures'
import { makeDue, outboxDocs, outboxFor, startDispatcherProcess, waitUntil, type DispatcherProcess } from '../helpers/emailTestKit'
import { sentEmails } from '../helpers/mailbox'
import { startLocalSes, type LocalSes } from '../../scripts/local-ses'
import { flushEmailKicks } from '../../src/email/kicks'
import { emailServicesFor } from '../../src/email/services'
import type { Tutor } from '../../src/payload-types'

/**
 * The dispatcher as separate processes (scripts/dispatch-emails.ts) racing over one database, as replicas do.
 * Messages here are queued without the in-process kick, so only the spawned dispatchers send them.
 */
const MINUTE = 60_000
const running: DispatcherProcess[] = []

let payload: Payload

const start = (env: Record<string, string> = {}) => {
  const dispatcher = startDispatcherProcess({ EMAIL_DISPATCH_POLL_MS: '200', EMAIL_DISPATCH_BATCH: '10', EMAIL_DISPATCH_CONCURRENCY: '4', ...env })
  running.push(dispatcher)
  return dispatcher
}

async function stopAll(): Promise<void> {
  const codes = await Promise.all(running.splice(0).map((dispatcher) => dispatcher.stop()))
  for (const code of codes) expect([0, null]).toContain(code)
}

async function enqueueTestMessages(prefix: string, count: number, extra: Record<string, unknown> = {}): Promise<string[]> {
  const outbox = await outboxFor(payload)
  const addresses: string[] = []
  for (let i = 0; i < count; i++) {
    const to = uniqueEmail(`${prefix}${i}`)
    addresses.push(to)
    await outbox.enqueue({ to, template: 'other', subject: `${prefix} ${i}`, html: `<p>${prefix} ${i}</p>`, text: `${prefix} ${i}`, dedupeKey: `test:${to}`, ...extra })
  }
  return addresses
}

const countTo = (emails: { destination: { to: string[] } }[], to: string) =>
  emails.filter((mail) => mail.destination.to.some((address) => address.toLowerCase().includes(to.toLowerCase()))).length

beforeAll(async () => {
  payload = await testPayload()
  await emailServicesFor(payload)
})

// A test that fails half-way must not leave its dispatchers sending the next test's messages.
afterEach(async () => {
  await Promise.all(running.splice(0).map((dispatcher) => dispatcher.kill()))
})

describe('reminders with three dispatcher processes', () => {
  let tutor: Tutor
  let students: TestStudent[]
  const appointments: { id: string; student: TestStudent }[] = []

  const offsetsBefore = process.env.REMINDER_OFFSETS_MINUTES
  afterAll(() => {
    if (offsetsBefore === undefined) delete process.env.REMINDER_OFFSETS_MINUTES
    else process.env.REMINDER_OFFSETS_MINUTES = offsetsBefore
  })

  beforeAll(async () => {
    // One reminder per session, an hour before it.
    process.env.REMINDER_OFFSETS_MINUTES = '60'
    tutor = await createTutor(payload, { name: 'Race Tutor' })
    students = await Promise.all([0, 1, 2].map((i) => createStudent(payload, { label: `race${i}` })))
    // 30 one-hour sessions a few hours ahead, each with its 60-minute reminder queued.
    const first = Math.ceil((Date.now() + 3 * 60 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE
    for (let i = 0; i < 30; i++) {
      const student = students[i % 3]
      const booked = await api('POST', '/api/appointments', {
        token: student.token,
        body: { tutor: tutor.id, start: new Date(first + i * 60 * MINUTE).toISOString(), duration: 60 },
      })
      expect(booked.status).toBe(201)
      appointments.push({ id: booked.body.doc.id, student })
    }
    await flushEmailKicks()
  }, 120_000)

  it('each due reminder is sent exactly once; none for cancelled or stale sessions', async () => {
    const outbox = await outboxFor(payload)
    const ids = appointments.map((appointment) => appointment.id)
    // Five cancelled through the API: their reminders are marked cancelled at once.
    for (const { id, student } of appointments.slice(0, 5)) {
      expect((await api('POST', `/api/appointments/${id}/cancel`, { token: student.token, body: {} })).status).toBe(200)
    }
    // Two cancelled behind the hooks' back (as if the cancel raced the reminder): the dispatcher must notice.
    const { db } = await emailServicesFor(payload)
    const { ObjectId } = await import('mongodb')
    await db.collection('appointments').updateMany({ _id: { $in: ids.slice(5, 7).map((id) => new ObjectId(id)) } }, { $set: { status: 'cancelled' } })

    const dispatchers = [start(), start(), start()]
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.ready))
    // Time passes: every reminder falls due now, for all three at once.
    const made = await makeDue(outbox, { template: 'appointment-reminder', appointment: { $in: ids.map((id) => new ObjectId(id)) } })
    // Diagnostic for a mismatch: what the outbox holds for these appointments.
    if (made !== 25) console.log('outbox for these appointments:', JSON.stringify((await outbox.collection.find({ appointment: { $in: ids.map((id) => new ObjectId(id)) } }, { projection: { template: 1, status: 1, dedupeKey: 1, nextAttemptAt: 1 } }).toArray()).slice(0, 12)))
    expect(made).toBe(25)

    const reminders = await waitUntil('all reminders to be settled', async () => {
      const docs = await outbox.collection.find({ template: 'appointment-reminder', appointment: { $in: ids.map((id) => new ObjectId(id)) } }).toArray()
      return docs.every((doc) => doc.status === 'sent' || doc.status === 'cancelled') ? docs : undefined
    }, 60_000)
    await new Promise((resolve) => setTimeout(resolve, 1_500))

    const sent = await sentEmails()
    const reminderMails = sent.filter((mail) => mail.subject.startsWith('Reminder:'))
    const byAppointment = new Map(ids.map((id) => [id, reminderMails.filter((mail) => (mail.body.text ?? '').includes(`/bookings/${id}`)).length]))
    for (const id of ids.slice(0, 7)) expect(byAppointment.get(id)).toBe(0)
    for (const id of ids.slice(7)) expect(byAppointment.get(id)).toBe(1)

    const stale = reminders.filter((doc) => ids.slice(5, 7).includes(String(doc.appointment)))
    expect(stale.map((doc) => doc.status)).toEqual(['cancelled', 'cancelled'])
    expect(stale[0].lastError).toContain('Not sent: the appointment is cancelled')
    expect(reminders.filter((doc) => doc.status === 'sent')).toHaveLength(23)

    // The work was shared: at least two of the three settled some (a batch line is printed only for a batch that
    // sent, retried, failed or cancelled something).
    const perProcess = dispatchers.map((dispatcher) => /"event":"batch"/.test(dispatcher.output()))
    expect(perProcess.filter(Boolean).length).toBeGreaterThanOrEqual(2)
    await stopAll()
  }, 180_000)
})

describe('a dispatcher that dies mid-batch', () => {
  it('loses nothing: after the lease, the others send the rest', async () => {
    const addresses = await enqueueTestMessages('crash', 40, { sendAt: new Date(Date.now() + 60 * MINUTE) })
    const outbox = await outboxFor(payload)
    const lease = { EMAIL_LEASE_MS: '6000', EMAIL_SEND_TIMEOUT_MS: '1500' }
    // A slow one (each send waits 4 s after its claim, under its lease), killed while it holds messages.
    const victim = start({ ...lease, EMAIL_TEST_SEND_DELAY_MS: '4000', EMAIL_DISPATCH_CONCURRENCY: '4' })
    await victim.ready
    expect(await makeDue(outbox, { to: { $in: addresses } })).toBe(40)
    const heldAtKill = await waitUntil('the victim to have sent some and hold some', async () => {
      const docs = await outbox.collection.find({ to: { $in: addresses } }).toArray()
      // Marked `sending` less than 2 s ago: each is at least 2 s away from SES when the kill lands (its send waits
      // 4 s), so the kill cannot fall in the short gap between one send and the next claim. With 2 s and 1 s, one
      // loaded full run (7 Dec) never saw two such messages within the minute.
      const sending = docs.filter((doc) => doc.status === 'sending' && doc.lastAttemptAt && Date.now() - doc.lastAttemptAt.getTime() < 2_000)
      return docs.some((doc) => doc.status === 'sent') && sending.length >= 2 ? sending : undefined
    }, 60_000, 50)
    await victim.kill()
    running.splice(running.indexOf(victim), 1)
    const stuck = (await outbox.collection.find({ to: { $in: addresses }, status: 'sending' }).toArray()).map((doc) => doc._id.toHexString())
    expect(stuck.length).toBeGreaterThan(0)

    await Promise.all([start(lease), start(lease)].map((dispatcher) => dispatcher.ready))
    const docs = await waitUntil('every message to be sent', async () => {
      const all = await outbox.collection.find({ to: { $in: addresses } }).toArray()
      return all.every((doc) => doc.status === 'sent') ? all : undefined
    }, 60_000)
    // The held messages went out as a later attempt, by another process, once the lease ran out.
    for (const doc of docs.filter((candidate) => stuck.includes(candidate._id.toHexString()))) expect(doc.attempts).toBeGreaterThanOrEqual(2)

    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const sent = await sentEmails()
    const counts = addresses.map((to) => countTo(sent, to))
    expect(counts.every((count) => count >= 1)).toBe(true)
    // Only a message SES accepted in the instant before the kill could go twice (at-least-once window).
    const duplicates = counts.reduce((sum, count) => sum + count - 1, 0)
    expect(duplicates).toBeLessThanOrEqual(heldAtKill.length)
    await stopAll()
  }, 180_000)
})

describe('when SES is down or refuses', () => {
  let ses: LocalSes | undefined

  afterAll(async () => {
    await ses?.stop()
  })

  it('keeps messages queued with the error while SES is unreachable, and sends them once it is back', async () => {
    ses = await startLocalSes()
    const port = ses.port
    const env = {
      SES_ENDPOINT: ses.endpoint,
      EMAIL_RETRY_BASE_MS: '300',
      EMAIL_RETRY_MAX_MS: '1500',
      EMAIL_MAX_ATTEMPTS: '100',
      EMAIL_SEND_TIMEOUT_MS: '2000',
    }
    const dispatcher = start(env)
    await dispatcher.ready
    const outbox = await outboxFor(payload)

    const [warmup] = await enqueueTestMessages('sesup', 1)
    await waitUntil('the first message to reach the second SES', async () => countTo(await sentEmails(ses!.endpoint), warmup) === 1)

    await ses.stop()
    const addresses = await enqueueTestMessages('sesdown', 5)
    const queued = await waitUntil('failed attempts to be recorded', async () => {
      const docs = await outbox.collection.find({ to: { $in: addresses } }).toArray()
      return docs.every((doc) => doc.status === 'queued' && doc.attempts >= 2) ? docs : undefined
    }, 30_000)
    for (const doc of queued) {
      expect(doc.lastError).toMatch(/ECONNREFUSED/)
      expect(doc.nextAttemptAt).toBeTruthy()
    }

    ses = await startLocalSes({ port })
    await waitUntil('the queued messages to go out', async () => {
      const docs = await outbox.collection.find({ to: { $in: addresses } }).toArray()
      return docs.every((doc) => doc.status === 'sent')
    }, 30_000)
    const arrived = await sentEmails(ses.endpoint)
    for (const to of addresses) expect(countTo(arrived, to)).toBe(1)
    // None of them went to the main SES server.
    const main = await sentEmails()
    for (const to of addresses) expect(countTo(main, to)).toBe(0)
  }, 120_000)

  it('marks a message SES rejects as failed, with the error visible, and does not retry it', async () => {
    const outbox = await outboxFor(payload)
    await start().ready
    // A sender without an address (a misconfigured EMAIL_FROM_ADDRESS): SES answers 400.
    const [to] = await enqueueTestMessages('rejected', 1, { from: 'TutorTrack' })
    const doc = await waitUntil('the message to fail', async () => {
      const found = await outbox.collection.findOne({ to })
      return found?.status === 'failed' ? found : undefined
    }, 30_000)
    expect(doc.attempts).toBe(1)
    expect(doc.lastError).toMatch(/^attempt 1: HTTP 400: Bad Request/)
    expect(doc.nextAttemptAt).toBeNull()
    const viaApi = await payload.findByID({ collection: 'emails', id: doc._id.toHexString() })
    expect(viaApi.lastError).toBe(doc.lastError)
    await stopAll()
  }, 60_000)
})
