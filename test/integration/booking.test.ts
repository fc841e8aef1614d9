import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, graphql, testPayload } from '../helpers/api'
import { createStaff, createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'
import type { Tutor } from '../../src/payload-types'
import { hashBody, IDEMPOTENCY_COLLECTION } from '../../src/booking/idempotency'
import { mongoDb } from '../../src/storage/db'

let payload: Payload
let tutor: Tutor
let alice: TestStudent
let bob: TestStudent

beforeAll(async () => {
  payload = await testPayload()
  tutor = await createTutor(payload, { name: 'Booking Tutor' })
  alice = await createStudent(payload, { label: 'alice' })
  bob = await createStudent(payload, { label: 'bob' })
})

const book = (student: TestStudent, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api('POST', '/api/appointments', { token: student.token, body, headers })

describe('booking API', () => {
  it('books a free slot for the caller and refuses the same slot to another student', async () => {
    const start = futureUtc(3, 10)
    const first = await book(alice, { tutor: tutor.id, start, duration: 60, notes: 'Algebra' })
    expect(first.status).toBe(201)
    expect(first.body.doc.student).toBe(alice.id)
    expect(first.body.doc.end).toBe(new Date(Date.parse(start) + 3_600_000).toISOString())
    expect(first.body.doc.meetingLocation).toBe('https://meet.example.com/room')

    const second = await book(bob, { tutor: tutor.id, start: futureUtc(3, 10, 30), duration: 60 })
    expect(second.status).toBe(409)
    expect(second.body.errors[0].data.code).toBe('SLOT_UNAVAILABLE')
  })

  it('refuses anonymous (401), unverified (403) and malformed (400) requests', async () => {
    const anonymous = await api('POST', '/api/appointments', { body: { tutor: tutor.id, start: futureUtc(4, 9), duration: 60 } })
    expect(anonymous.status).toBe(401)
    const unverified = await createStudent(payload, { verified: false })
    const unverifiedLogin = await api('POST', '/api/students/login', { body: { email: unverified.email, password: 'correct horse battery staple' } })
    expect(unverifiedLogin.status).toBe(403)
    const malformed = await book(alice, { tutor: tutor.id, start: 'tomorrow', duration: 60 })
    expect(malformed.status).toBe(400)
    expect(malformed.body.errors[0].data.field).toBe('start')
    const unknownField = await book(alice, { tutor: tutor.id, start: futureUtc(4, 9), duration: 60, student: bob.id })
    expect(unknownField.status).toBe(400)
    const unofferedLength = await book(alice, { tutor: tutor.id, start: futureUtc(4, 9), duration: 45 })
    expect(unofferedLength.status).toBe(400)
    expect(unofferedLength.body.errors[0].data).toMatchObject({ code: 'INVALID_DURATION', field: 'duration' })
  })

  it('a student cannot be in two sessions at once, even with different tutors', async () => {
    const otherTutor = await createTutor(payload)
    const start = futureUtc(5, 14)
    expect((await book(bob, { tutor: tutor.id, start, duration: 60 })).status).toBe(201)
    const clash = await book(bob, { tutor: otherTutor.id, start: futureUtc(5, 14, 30), duration: 30 })
    expect(clash.status).toBe(409)
    expect(clash.body.errors[0].data.code).toBe('STUDENT_BUSY')
  })

  it('replays a retried request with the same Idempotency-Key, and refuses the key with another body', async () => {
    const body = { tutor: tutor.id, start: futureUtc(6, 8), duration: 30 }
    const first = await book(alice, body, { 'Idempotency-Key': 'retry-1' })
    const retry = await book(alice, body, { 'Idempotency-Key': 'retry-1' })
    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.body.doc.id).toBe(first.body.doc.id)
    const misuse = await book(alice, { ...body, duration: 60 }, { 'Idempotency-Key': 'retry-1' })
    expect(misuse.status).toBe(422)
    const count = await payload.count({ collection: 'appointments', where: { student: { equals: alice.id }, start: { equals: body.start } } })
    expect(count.totalDocs).toBe(1)
  })

  it('answers a retry while the first request with its Idempotency-Key is still running: 409 with Retry-After, nothing booked', async () => {
    const body = { tutor: tutor.id, start: futureUtc(6, 11), duration: 30 }
    // The first request's record, as it stands while that request is being handled (another replica, a moment ago).
    await mongoDb(payload)
      .collection<{ _id: string }>(IDEMPOTENCY_COLLECTION)
      .insertOne({ _id: `booking:${alice.id}:retry-running`, bodyHash: hashBody(body), state: 'pending', createdAt: new Date() } as never)
    const retry = await book(alice, body, { 'Idempotency-Key': 'retry-running' })
    expect(retry.status).toBe(409)
    expect(retry.body.errors[0].data.code).toBe('IDEMPOTENT_REQUEST_IN_PROGRESS')
    expect(retry.headers.get('retry-after')).toBe('1')
    const count = await payload.count({ collection: 'appointments', where: { student: { equals: alice.id }, start: { equals: body.start } } })
    expect(count.totalDocs).toBe(0)
  })

  it('cancel frees the slot at once and keeps who, when and why', async () => {
    const start = futureUtc(7, 12)
    const booked = await book(alice, { tutor: tutor.id, start, duration: 60 })
    const cancelled = await api('POST', `/api/appointments/${booked.body.doc.id}/cancel`, { token: alice.token, body: { reason: 'Feeling ill' } })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.doc.status).toBe('cancelled')
    expect(cancelled.body.doc.cancellation).toMatchObject({ by: 'student', reason: 'Feeling ill' })
    const rebooked = await book(bob, { tutor: tutor.id, start, duration: 60 })
    expect(rebooked.status).toBe(201)
    const bobCancelsAlice = await api('POST', `/api/appointments/${booked.body.doc.id}/cancel`, { token: bob.token, body: {} })
    expect(bobCancelsAlice.status).toBe(404)
  })

  it('reschedule moves the session and frees the old time; a conflicting move changes nothing', async () => {
    const booked = await book(alice, { tutor: tutor.id, start: futureUtc(8, 9), duration: 60 })
    const blocker = await book(bob, { tutor: tutor.id, start: futureUtc(8, 15), duration: 60 })
    expect(blocker.status).toBe(201)
    const refused = await api('POST', `/api/appointments/${booked.body.doc.id}/reschedule`, { token: alice.token, body: { start: futureUtc(8, 15, 30) } })
    expect(refused.status).toBe(409)
    const unchanged = await payload.findByID({ collection: 'appointments', id: booked.body.doc.id })
    expect(unchanged.start).toBe(futureUtc(8, 9))

    // Moving by half an hour overlaps the session's own old time: that must be allowed.
    const moved = await api('POST', `/api/appointments/${booked.body.doc.id}/reschedule`, { token: alice.token, body: { start: futureUtc(8, 9, 30) } })
    expect(moved.status).toBe(200)
    expect(moved.body.doc.start).toBe(futureUtc(8, 9, 30))
    const intoOldTime = await book(bob, { tutor: tutor.id, start: futureUtc(8, 8, 30), duration: 60 })
    expect(intoOldTime.body).toMatchObject({ doc: { start: futureUtc(8, 8, 30) } })
  })

  it('admins may book outside weekly hours but never into an overlap, through the same hooks', async () => {
    const admin = await createStaff(payload, 'admin')
    const narrowTutor = await createTutor(payload, { weeklyAvailability: [{ day: 'mon', start: '09:00', end: '10:00' }] })
    const start = futureUtc(9, 20)
    const outside = await book(alice, { tutor: narrowTutor.id, start, duration: 60 })
    expect(outside.status).toBe(409)
    expect(outside.body.errors[0].data.code).toBe('OUTSIDE_AVAILABILITY')
    const byAdmin = await api('POST', '/api/appointments', {
      token: admin.token,
      body: { tutor: narrowTutor.id, student: alice.id, start, end: new Date(Date.parse(start) + 3_600_000).toISOString() },
    })
    expect(byAdmin.status).toBe(201)
    const overlapByAdmin = await api('POST', '/api/appointments', {
      token: admin.token,
      body: { tutor: narrowTutor.id, student: bob.id, start, end: new Date(Date.parse(start) + 1_800_000).toISOString() },
    })
    expect(overlapByAdmin.status).toBe(409)
    expect(overlapByAdmin.body.errors[0].data.code).toBe('SLOT_UNAVAILABLE')
  })

  it('GraphQL mutations meet the same rules', async () => {
    const start = futureUtc(10, 10)
    expect((await book(alice, { tutor: tutor.id, start, duration: 60 })).status).toBe(201)
    const result = await graphql(
      `mutation ($data: mutationAppointmentInput!) { createAppointment(data: $data) { id } }`,
      { data: { tutor: tutor.id, student: bob.id, start, end: new Date(Date.parse(start) + 3_600_000).toISOString() } },
      bob.token,
    )
    expect(result.body.errors?.[0]?.extensions?.data?.code ?? result.body.errors?.[0]?.message).toMatch(/SLOT_UNAVAILABLE|just taken/)
  })

  it('availability lists free slots in the viewer\'s zone and leaves out booked time', async () => {
    const from = futureUtc(11, 0)
    const to = futureUtc(12, 0)
    expect((await book(alice, { tutor: tutor.id, start: futureUtc(11, 10), duration: 60 })).status).toBe(201)
    const response = await api('GET', `/api/tutors/${tutor.id}/availability?from=${from}&to=${to}&duration=60&tz=America/Los_Angeles`)
    expect(response.status).toBe(200)
    const starts: string[] = response.body.slots.map((slot: { start: string }) => slot.start)
    expect(starts).toContain(futureUtc(11, 9))
    expect(starts).not.toContain(futureUtc(11, 10))
    expect(starts).not.toContain(futureUtc(11, 9, 30))
    expect(starts).toContain(futureUtc(11, 11))
    expect(response.body.slots[0].label).toMatch(/PST|PDT|Los_Angeles|GMT-/)

    const tooLong = await api('GET', `/api/tutors/${tutor.id}/availability?from=${from}&to=${futureUtc(60, 0)}`)
    expect(tooLong.status).toBe(400)
    const badZone = await api('GET', `/api/tutors/${tutor.id}/availability?tz=Mars/Olympus`)
    expect(badZone.status).toBe(400)
  })
})
