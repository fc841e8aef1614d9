import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, testPayload, uniqueEmail } from '../helpers/api'
import { createStaff, createStudent, createTutor, createTutorAccount, futureUtc } from '../helpers/fixtures'
import type { Appointment, Tutor } from '../../src/payload-types'

/** Date overrides (#17): one local date gets other hours or none; the slot search follows; booked sessions are protected. */

let payload: Payload
let admin: { id: string; token: string }

const dateOf = (iso: string) => iso.slice(0, 10)
const startsOn = async (tutorId: string, day: number): Promise<string[]> => {
  const response = await api('GET', `/api/tutors/${tutorId}/availability?from=${futureUtc(day, 0)}&to=${futureUtc(day + 1, 0)}&duration=60`)
  expect(response.status).toBe(200)
  return response.body.slots.map((slot: { start: string }) => slot.start)
}
const patchTutor = (tutorId: string, token: string, body: Record<string, unknown>) => api('PATCH', `/api/tutors/${tutorId}`, { token, body })

beforeAll(async () => {
  payload = await testPayload()
  admin = await createStaff(payload, 'admin')
})

describe('date overrides and the slot search', () => {
  it('closing a date serves nothing that day; other hours serve exactly those; the next day keeps its weekly hours', async () => {
    const tutor = await createTutor(payload, { name: 'Oda Override' }) // UTC, open all day every day
    const day = dateOf(futureUtc(10, 0))
    expect(await startsOn(tutor.id, 10)).toContain(futureUtc(10, 9)) // asked once, so a cached answer exists

    const closed = await patchTutor(tutor.id, admin.token, { dateOverrides: [{ date: day, ranges: [], reason: 'Holiday' }] })
    expect(closed.status).toBe(200)
    expect(await startsOn(tutor.id, 10)).toEqual([])
    expect(await startsOn(tutor.id, 11)).toContain(futureUtc(11, 9))

    const changed = await patchTutor(tutor.id, admin.token, { dateOverrides: [{ date: day, ranges: [{ start: '14:00', end: '16:00' }] }] })
    expect(changed.status).toBe(200)
    expect(await startsOn(tutor.id, 10)).toEqual([futureUtc(10, 14), futureUtc(10, 14, 30), futureUtc(10, 15)])

    const removed = await patchTutor(tutor.id, admin.token, { dateOverrides: [] })
    expect(removed.status).toBe(200)
    expect(await startsOn(tutor.id, 10)).toContain(futureUtc(10, 9))
  })

  it('is read in the tutor\'s zone: a closed date in Asia/Tokyo ends at local midnight', async () => {
    const tutor = await createTutor(payload, { name: 'Oda Tokyo', timeZone: 'Asia/Tokyo' })
    // Local date of day 10 in Tokyo runs from 15:00 UTC the day before to 15:00 UTC on day 10.
    const saved = await patchTutor(tutor.id, admin.token, { dateOverrides: [{ date: dateOf(futureUtc(10, 0)), ranges: [] }] })
    expect(saved.status).toBe(200)
    const starts = await startsOn(tutor.id, 10)
    expect(starts[0]).toBe(futureUtc(10, 15))
  })
})

describe('date overrides over booked sessions', () => {
  it('a closed date over a booked session is refused with the session named, and nothing changes', async () => {
    const tutor = await createTutor(payload, { name: 'Ada Override', timeZone: 'Europe/London', contactEmail: uniqueEmail('adaoverride') })
    const student = await createStudent(payload, { label: 'override' })
    const booked = await api('POST', '/api/appointments', { token: student.token, body: { tutor: tutor.id, start: futureUtc(12, 10), duration: 60 } })
    expect(booked.status).toBe(201)
    // 10:00 UTC is 10:00 in London in winter or 11:00 in summer; either way a 09:00–10:00 override strands it.
    const refused = await patchTutor(tutor.id, admin.token, { dateOverrides: [{ date: dateOf(futureUtc(12, 0)), ranges: [{ start: '08:00', end: '09:00' }] }] })
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0].data.code).toBe('STRANDS_BOOKED_SESSIONS')
    expect(refused.body.errors[0].message).toMatch(/1 booked session of Ada Override stranded: .* \(tutor's time, Europe\/London\) with Test Student/)
    const after = (await payload.findByID({ collection: 'tutors', id: tutor.id, depth: 0, overrideAccess: true })) as Tutor
    expect(after.dateOverrides ?? []).toEqual([])

    // Hours that still hold the session are fine.
    const holding = await patchTutor(tutor.id, admin.token, { dateOverrides: [{ date: dateOf(futureUtc(12, 0)), ranges: [{ start: '09:00', end: '13:00' }] }] })
    expect(holding.status).toBe(200)

    const cancelled = await patchTutor(tutor.id, admin.token, { dateOverrides: [{ date: dateOf(futureUtc(12, 0)), ranges: [] }], cancelStrandedSessions: true })
    expect(cancelled.status).toBe(200)
    const session = (await payload.findByID({ collection: 'appointments', id: booked.body.doc.id, depth: 0, overrideAccess: true })) as Appointment
    expect(session.status).toBe('cancelled')
  })
})

describe('date override validation and access', () => {
  it('refuses a malformed date, bad times, overlapping ranges and a date given twice, with a sentence', async () => {
    const tutor = await createTutor(payload, { name: 'Val Override' })
    const day = dateOf(futureUtc(10, 0))
    const cases: [unknown, RegExp][] = [
      [[{ date: '24/12/2026', ranges: [] }], /YYYY-MM-DD/],
      [[{ date: '2026-02-30', ranges: [] }], /YYYY-MM-DD/],
      [[{ date: day, ranges: [{ start: '9am', end: '10:00' }] }], /HH:mm/],
      [[{ date: day, ranges: [{ start: '11:00', end: '10:00' }] }], /after start/],
      [[{ date: day, ranges: [{ start: '09:00', end: '11:00' }, { start: '10:00', end: '12:00' }] }], /overlap/],
      [[{ date: day, ranges: [] }, { date: day, ranges: [{ start: '09:00', end: '10:00' }] }], /one override only/],
    ]
    for (const [dateOverrides, message] of cases) {
      const response = await patchTutor(tutor.id, admin.token, { dateOverrides })
      expect(response.status).toBe(400)
      expect(JSON.stringify(response.body.errors)).toMatch(message)
    }
    const after = (await payload.findByID({ collection: 'tutors', id: tutor.id, depth: 0, overrideAccess: true })) as Tutor
    expect(after.dateOverrides ?? []).toEqual([])
  })

  it('a tutor edits their own overrides, not another tutor\'s; the public never sees the reason', async () => {
    const account = await createTutorAccount(payload)
    const other = await createTutor(payload, { name: 'Other Override' })
    const own = await patchTutor(account.tutor.id, account.token, { dateOverrides: [{ date: dateOf(futureUtc(10, 0)), ranges: [], reason: 'Dentist' }] })
    expect(own.status).toBe(200)
    expect(own.body.doc.dateOverrides[0].reason).toBe('Dentist')
    expect([403, 404]).toContain((await patchTutor(other.id, account.token, { dateOverrides: [{ date: dateOf(futureUtc(10, 0)), ranges: [] }] })).status)
    const publicView = await api('GET', `/api/tutors/${account.tutor.id}`)
    expect(publicView.status).toBe(200)
    expect(publicView.body.dateOverrides[0].date).toBe(dateOf(futureUtc(10, 0)))
    expect(publicView.body.dateOverrides[0]).not.toHaveProperty('reason')
  })
})
