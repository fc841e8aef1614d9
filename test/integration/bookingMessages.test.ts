import { beforeAll, describe, expect, it } from '@jest/globals'
import { DateTime } from 'luxon'
import type { Payload } from 'payload'

import { api, testPayload } from '../helpers/api'
import { createStaff, createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'
import type { Tutor } from '../../src/payload-types'

/**
 * Refusals speak to whoever asked: a student is addressed as "you" in their own profile zone, with the zone
 * named; staff read both the tutor's and the student's zone. Issue #14, item 6 (the Sydney student of the report).
 */
let payload: Payload
let parisTutor: Tutor
let otherTutor: Tutor
let sydney: TestStudent
let admin: { token: string }

const SYDNEY = 'Australia/Sydney'
const PARIS = 'Europe/Paris'
const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone, locale: 'en-GB' })
const sydneyRange = (startIso: string, endIso: string) =>
  `${local(startIso, SYDNEY).toFormat('ccc d LLL yyyy HH:mm')}–${local(endIso, SYDNEY).toFormat('HH:mm')} (your time, ${SYDNEY})`

beforeAll(async () => {
  payload = await testPayload()
  parisTutor = await createTutor(payload, { name: 'Paris Tutor', timeZone: PARIS })
  otherTutor = await createTutor(payload, { name: 'Other Tutor', timeZone: PARIS })
  sydney = await createStudent(payload, { label: 'sydney', timeZone: SYDNEY })
  admin = await createStaff(payload, 'admin')
})

const book = (who: { token: string }, body: Record<string, unknown>) => api('POST', '/api/appointments', { token: who.token, body })

describe('refusal messages by audience', () => {
  it('tells a Sydney student "You already have a session then …" in Sydney time, naming the zone', async () => {
    // As in the report: a session 11:10–12:10 Paris time (placed by staff, off the grid), then an overlapping booking.
    const placed = await api('POST', '/api/appointments', {
      token: admin.token,
      body: { tutor: otherTutor.id, student: sydney.id, start: futureUtc(20, 10, 10), end: futureUtc(20, 11, 10) },
    })
    expect(placed.status).toBe(201)
    const clash = await book(sydney, { tutor: parisTutor.id, start: futureUtc(20, 10, 30), duration: 60 })
    expect(clash.status).toBe(409)
    expect(clash.body.errors[0].data.code).toBe('STUDENT_BUSY')
    const message: string = clash.body.errors[0].message
    expect(message).toBe(
      `You already have a session then: ${sydneyRange(futureUtc(20, 10, 10), futureUtc(20, 11, 10))}. It overlaps the time you chose, ${sydneyRange(futureUtc(20, 10, 30), futureUtc(20, 11, 30))}. Cancel that one first or choose another time.`,
    )
    expect(message).not.toContain(PARIS)
  })

  it('gives staff the same refusal about the student, naming the tutor’s and the student’s zones', async () => {
    const clash = await api('POST', '/api/appointments', {
      token: admin.token,
      body: { tutor: parisTutor.id, student: sydney.id, start: futureUtc(20, 10, 30), end: futureUtc(20, 11, 30) },
    })
    expect(clash.status).toBe(409)
    expect(clash.body.errors[0].data.code).toBe('STUDENT_BUSY')
    const message: string = clash.body.errors[0].message
    expect(message).toMatch(/^The student already has a session /)
    expect(message).toContain(`(tutor's time, ${PARIS})`)
    expect(message).toContain(`(student's time, ${SYDNEY})`)
  })

  it('tells the student about the tutor’s other session in their own time', async () => {
    const friend = await createStudent(payload, { label: 'friend' })
    expect((await book(friend, { tutor: parisTutor.id, start: futureUtc(21, 9), duration: 60 })).status).toBe(201)
    const taken = await book(sydney, { tutor: parisTutor.id, start: futureUtc(21, 9, 30), duration: 60 })
    expect(taken.body.errors[0].data.code).toBe('SLOT_UNAVAILABLE')
    expect(taken.body.errors[0].message).toBe(
      `Paris Tutor already has a session ${sydneyRange(futureUtc(21, 9), futureUtc(21, 10))}, so the time you chose, ${sydneyRange(futureUtc(21, 9, 30), futureUtc(21, 10, 30))}, is not free. Choose another time.`,
    )
  })

  it('speaks to the student in their zone about notice and the cancellation cut-off', async () => {
    const strictTutor = await createTutor(payload, {
      name: 'Strict Tutor',
      timeZone: PARIS,
      policy: { minimumNoticeHours: 2, bookingHorizonDays: 365, cancellationCutoffHours: 24 },
    } as Partial<Tutor>)
    const soon = new Date(Math.ceil((Date.now() + 30 * 60_000) / 1_800_000) * 1_800_000).toISOString()
    const tooSoon = await book(sydney, { tutor: strictTutor.id, start: soon, duration: 60 })
    expect(tooSoon.body.errors[0].data.code).toBe('TOO_SOON')
    expect(tooSoon.body.errors[0].message).toMatch(/^Strict Tutor needs notice of at least 2 hours: you chose .* \(your time, Australia\/Sydney\); choose a start at or after .* \(your time, Australia\/Sydney\)\.$/)
    expect(tooSoon.body.errors[0].message).not.toContain(PARIS)

    const start = new Date(Math.ceil((Date.now() + 5 * 3_600_000) / 1_800_000) * 1_800_000).toISOString()
    const booked = await book(sydney, { tutor: strictTutor.id, start, duration: 60 })
    expect(booked.status).toBe(201)
    const cancel = await api('POST', `/api/appointments/${booked.body.doc.id}/cancel`, { token: sydney.token, body: {} })
    expect(cancel.status).toBe(409)
    expect(cancel.body.errors[0].data.code).toBe('CANCELLATION_CUTOFF_PASSED')
    const startsAt = `${local(start, SYDNEY).toFormat('ccc d LLL yyyy HH:mm')} (your time, ${SYDNEY})`
    expect(cancel.body.errors[0].message).toMatch(/^You can cancel a session up to 24 hours before it starts, and yours starts in \d+ hours?( \d+ minutes?)?, at /)
    expect(cancel.body.errors[0].message).toContain(startsAt)
    expect(cancel.body.errors[0].message).toMatch(/send them a message from this booking's page\.$/)
    const move = await api('POST', `/api/appointments/${booked.body.doc.id}/reschedule`, { token: sydney.token, body: { start: futureUtc(40, 10) } })
    expect(move.body.errors[0].data.code).toBe('CANCELLATION_CUTOFF_PASSED')
    expect(move.body.errors[0].message).toMatch(/^You can change a session up to 24 hours before it starts/)
    expect(move.body.errors[0].message).toContain(startsAt)
  })

  it('speaks Spanish to a student whose language is Spanish, and by Accept-Language to one without', async () => {
    const madrid = await createStudent(payload, { label: 'madrid', timeZone: 'Europe/Madrid' })
    await payload.update({ collection: 'students', id: madrid.id, data: { language: 'es' } })
    expect((await book(madrid, { tutor: otherTutor.id, start: futureUtc(22, 9), duration: 60 })).status).toBe(201)
    const clash = await book(madrid, { tutor: parisTutor.id, start: futureUtc(22, 9, 30), duration: 60 })
    expect(clash.status).toBe(409)
    expect(clash.body.errors[0].data).toMatchObject({ code: 'STUDENT_BUSY', field: 'student' })
    expect(clash.body.errors[0].message).toMatch(/^Ya tienes una sesión a esa hora: .* \(tu hora, Europe\/Madrid\)\. Se solapa con la hora que elegiste, /)

    // No profile language: the request's Accept-Language decides.
    const byHeader = await api('POST', '/api/appointments', { token: sydney.token, body: { tutor: parisTutor.id, start: futureUtc(20, 10, 30), duration: 60 }, headers: { 'Accept-Language': 'es-ES,es;q=0.9' } })
    expect(byHeader.body.errors[0].data.code).toBe('STUDENT_BUSY')
    expect(byHeader.body.errors[0].message).toMatch(/^Ya tienes una sesión a esa hora: .*\(tu hora, Australia\/Sydney\)/)
  })
})
