import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { mongoDb } from '../../src/storage/db'
import { flushEmailKicks } from '../../src/email/kicks'
import { SEND_CLAIMS_COLLECTION } from '../../src/email/sendClaims'
import { settleForgotPasswordWork } from '../../collections/shared/authEndpoints/forgotPassword'
import {
  handleDuePasswordResetRequests,
  PASSWORD_RESET_REQUESTS_COLLECTION,
  recordPasswordResetRequest,
} from '../../src/security/passwordResetQueue'
import { api, testPayload, uniqueEmail } from '../helpers/api'
import { startDispatcherProcess } from '../helpers/emailTestKit'
import { createStudent } from '../helpers/fixtures'
import { emailsTo, waitForEmail } from '../helpers/mailbox'

/**
 * Forgot-password answers after the same work for any address — limits, audit, one queued request — and the
 * lookup, token and mail follow in a batch later (src/security/passwordResetQueue.ts). Timing from the outside:
 * forgotPasswordTiming.test.ts.
 */
let payload: Payload

beforeAll(async () => {
  payload = await testPayload()
})

afterAll(() => settleForgotPasswordWork())

const requests = () => mongoDb(payload).collection(PASSWORD_RESET_REQUESTS_COLLECTION)
const rawStudent = (email: string) => mongoDb(payload).collection('students').findOne({ email })
const resetMails = async (email: string) => (await emailsTo(email)).filter((mail) => /reset-password\?token=/.test(mail.body.html ?? ''))

describe('forgot-password queues the request and answers', () => {
  it('a known address: nothing about the account is read or written before the answer; the link follows', async () => {
    const student = await createStudent(payload, { label: 'queued' })
    const answer = await api('POST', '/api/students/forgot-password', { body: { email: student.email } })
    expect(answer.status).toBe(200)
    // Straight after the answer (the batch waits at least 500 ms): only the queued request exists.
    expect(await requests().countDocuments({ email: student.email })).toBe(1)
    expect((await rawStudent(student.email))?.resetPasswordToken).toBeFalsy()
    expect(await mongoDb(payload).collection('emails').countDocuments({ to: student.email })).toBe(0)

    await settleForgotPasswordWork()
    expect((await rawStudent(student.email))?.resetPasswordToken).toBeTruthy()
    await waitForEmail(student.email, (mail) => /reset-password\?token=/.test(mail.body.html ?? ''))
    expect(await requests().countDocuments({ email: student.email })).toBe(0)
  })

  it('an unknown address: the same answer and the same queued request, then nothing is sent and nothing kept', async () => {
    const student = await createStudent(payload, { label: 'queuedknown' })
    const nobody = uniqueEmail('queuednobody')
    const known = await api('POST', '/api/students/forgot-password', { body: { email: student.email } })
    const unknown = await api('POST', '/api/students/forgot-password', { body: { email: nobody } })
    expect(unknown.status).toBe(known.status)
    expect(unknown.body).toEqual(known.body)
    const queued = await requests().find({ email: { $in: [student.email, nobody] } }).toArray()
    expect(queued.map((request) => Object.keys(request).sort())).toEqual([Object.keys(queued[0]).sort(), Object.keys(queued[0]).sort()])

    await settleForgotPasswordWork()
    await flushEmailKicks()
    expect(await requests().countDocuments({ email: nobody })).toBe(0)
    expect(await emailsTo(nobody)).toEqual([])
    expect(await mongoDb(payload).collection('emails').countDocuments({ to: nobody })).toBe(0)
  })
})

describe('the backstop: requests whose process died before its batch', () => {
  it('a dispatcher tick handles a due request once, however many replicas tick at once', async () => {
    const student = await createStudent(payload, { label: 'backstop' })
    const db = mongoDb(payload)
    // Due long ago, so all three ticks take it among the oldest (50 a tick, oldest first): a file before this one
    // (forgotPasswordTiming) can leave more than 150 due requests behind, and a just-due one was then never reached.
    const request = await recordPasswordResetRequest(db, { collection: 'students', email: student.email, ip: '198.51.100.7' }, Date.now() - 3 * 60 * 60_000)
    // Three replicas' ticks racing for it.
    await Promise.all([handleDuePasswordResetRequests(payload), handleDuePasswordResetRequests(payload), handleDuePasswordResetRequests(payload)])
    await flushEmailKicks()
    await waitForEmail(student.email, (mail) => /reset-password\?token=/.test(mail.body.html ?? ''))
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await resetMails(student.email)).toHaveLength(1)
    expect(await requests().countDocuments({ _id: request._id })).toBe(0)
    expect(await db.collection(SEND_CLAIMS_COLLECTION).countDocuments({ emailId: `password-reset:${request._id.toHexString()}` })).toBe(1)
  })

  it('the stand-alone dispatcher (scripts/dispatch-emails.ts) takes over a due request too', async () => {
    const student = await createStudent(payload, { label: 'standalone' })
    // Due long ago: other files' servers may have left newer due requests, and the oldest are taken first.
    const request = await recordPasswordResetRequest(mongoDb(payload), { collection: 'students', email: student.email, ip: null }, Date.now() - 60 * 60_000)
    const dispatcher = startDispatcherProcess({ EMAIL_DISPATCH_POLL_MS: '200' })
    try {
      await dispatcher.ready
      await waitForEmail(student.email, (mail) => /reset-password\?token=/.test(mail.body.html ?? ''), 30_000)
      expect(await requests().countDocuments({ _id: request._id })).toBe(0)
    } finally {
      await dispatcher.stop()
    }
  }, 60_000)

  it('a request not yet due is left to the process that received it', async () => {
    const student = await createStudent(payload, { label: 'notdue' })
    const request = await recordPasswordResetRequest(mongoDb(payload), { collection: 'students', email: student.email, ip: null })
    await handleDuePasswordResetRequests(payload)
    expect(await requests().countDocuments({ _id: request._id })).toBe(1)
    expect((await rawStudent(student.email))?.resetPasswordToken).toBeFalsy()
    await requests().deleteOne({ _id: request._id })
  })

  it('a handler that died after claiming: once its lease is over, the next attempt sends the link', async () => {
    const student = await createStudent(payload, { label: 'deadclaim' })
    const db = mongoDb(payload)
    // Due long ago, so it is among the oldest the backstop takes whatever other files left due (oldest first).
    const request = await recordPasswordResetRequest(db, { collection: 'students', email: student.email, ip: null }, Date.now() - 2 * 60 * 60_000)
    const key = `password-reset:${request._id.toHexString()}`
    await db.collection<{ _id: string }>(SEND_CLAIMS_COLLECTION).insertOne({ _id: `${key}:1`, emailId: key, attempt: 1, owner: 'a replica that died', createdAt: new Date(Date.now() - 2 * 60_000) } as never)
    await handleDuePasswordResetRequests(payload)
    await flushEmailKicks()
    await waitForEmail(student.email, (mail) => /reset-password\?token=/.test(mail.body.html ?? ''))
    expect(await requests().countDocuments({ _id: request._id })).toBe(0)
    expect(await db.collection(SEND_CLAIMS_COLLECTION).countDocuments({ emailId: key })).toBe(2)
  })
})
