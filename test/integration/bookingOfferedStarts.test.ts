import { beforeAll, describe, expect, it } from '@jest/globals'
import { DateTime } from 'luxon'
import type { Payload } from 'payload'

import { api, testPayload } from '../helpers/api'
import { createStaff, createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'
import type { Tutor } from '../../src/payload-types'

/**
 * A student may only book or move a session onto a start the slot search offers (the tutor's 30-minute grid
 * here); staff may place one off the grid on purpose. Issue #14, item 5.
 */
let payload: Payload
let tutor: Tutor
let student: TestStudent
let other: TestStudent
let admin: { token: string }

const SYDNEY = 'Australia/Sydney'
/** "Wed 9 Dec 2026 21:10" in Sydney, formatted independently of the app (Luxon, en-GB). */
const sydneyDateTime = (iso: string) => DateTime.fromISO(iso, { zone: SYDNEY, locale: 'en-GB' }).toFormat('ccc d LLL yyyy HH:mm')
const sydneyTime = (iso: string) => DateTime.fromISO(iso, { zone: SYDNEY }).toFormat('HH:mm')

beforeAll(async () => {
  payload = await testPayload()
  // Paris is a whole number of hours from UTC, so the tutor's :00/:30 grid is :00/:30 in UTC too.
  tutor = await createTutor(payload, { name: 'Grid Tutor', timeZone: 'Europe/Paris' })
  student = await createStudent(payload, { label: 'grid', timeZone: SYDNEY })
  other = await createStudent(payload, { label: 'gridother' })
  admin = await createStaff(payload, 'admin')
})

const book = (who: { token: string }, body: Record<string, unknown>) => api('POST', '/api/appointments', { token: who.token, body })
const reschedule = (who: { token: string }, id: string, body: Record<string, unknown>) =>
  api('POST', `/api/appointments/${id}/reschedule`, { token: who.token, body })
const countAt = async (start: string) =>
  (await payload.count({ collection: 'appointments', where: { tutor: { equals: tutor.id }, start: { equals: start } } })).totalDocs

describe('booking only on offered start times', () => {
  it('refuses a student an off-grid start with the nearest offered starts in their zone, and books an offered one', async () => {
    const availability = await api('GET', `/api/tutors/${tutor.id}/availability?from=${futureUtc(30, 9)}&to=${futureUtc(30, 12)}&duration=60`)
    const offered: string[] = availability.body.slots.map((slot: { start: string }) => slot.start)
    expect(offered).toEqual([futureUtc(30, 9), futureUtc(30, 9, 30), futureUtc(30, 10), futureUtc(30, 10, 30), futureUtc(30, 11), futureUtc(30, 11, 30)])

    const offGrid = futureUtc(30, 10, 10)
    const refused = await book(student, { tutor: tutor.id, start: offGrid, duration: 60 })
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0].data).toEqual({ code: 'NOT_AN_OFFERED_START', field: 'start' })
    const message: string = refused.body.errors[0].message
    expect(message).toContain(`${sydneyDateTime(offGrid)} (your time, ${SYDNEY})`)
    expect(message).toContain(`${sydneyDateTime(futureUtc(30, 10))} or ${sydneyTime(futureUtc(30, 10, 30))} (your time, ${SYDNEY})`)
    expect(message).not.toContain('Europe/Paris')
    expect(await countAt(offGrid)).toBe(0)

    expect((await book(student, { tutor: tutor.id, start: futureUtc(30, 10), duration: 60 })).status).toBe(201)
  })

  it('names the nearest starts that are still free, skipping booked ones', async () => {
    expect((await book(other, { tutor: tutor.id, start: futureUtc(32, 11), duration: 60 })).status).toBe(201)
    const refused = await book(student, { tutor: tutor.id, start: futureUtc(32, 11, 10), duration: 60 })
    expect(refused.body.errors[0].data.code).toBe('NOT_AN_OFFERED_START')
    // 10:30 and 11:30 would overlap 11:00–12:00: the nearest free one-hour starts are 10:00 and 12:00.
    expect(refused.body.errors[0].message).toContain(`${sydneyDateTime(futureUtc(32, 10))} or ${sydneyTime(futureUtc(32, 12))} (your time, ${SYDNEY})`)
  })

  it('refuses a student’s reschedule onto an off-grid start and changes nothing; an offered one moves it', async () => {
    const booked = await book(student, { tutor: tutor.id, start: futureUtc(31, 10), duration: 60 })
    expect(booked.status).toBe(201)
    const refused = await reschedule(student, booked.body.doc.id, { start: futureUtc(31, 10, 10) })
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0].data.code).toBe('NOT_AN_OFFERED_START')
    expect(refused.body.errors[0].message).toContain(`(your time, ${SYDNEY})`)
    const unchanged = await payload.findByID({ collection: 'appointments', id: booked.body.doc.id })
    expect(unchanged.start).toBe(futureUtc(31, 10))

    const moved = await reschedule(student, booked.body.doc.id, { start: futureUtc(31, 10, 30) })
    expect(moved.status).toBe(200)
    expect(moved.body.doc.start).toBe(futureUtc(31, 10, 30))
  })

  it('lets an admin place and move a session off the grid on purpose', async () => {
    const start = futureUtc(33, 10, 10)
    const placed = await api('POST', '/api/appointments', {
      token: admin.token,
      body: { tutor: tutor.id, student: other.id, start, end: futureUtc(33, 11, 10) },
    })
    expect(placed.status).toBe(201)
    expect(placed.body.doc.start).toBe(start)
    const moved = await reschedule(admin, placed.body.doc.id, { start: futureUtc(33, 10, 20) })
    expect(moved.status).toBe(200)
    expect(moved.body.doc.start).toBe(futureUtc(33, 10, 20))
  })
})
