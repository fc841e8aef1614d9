/**
 * Date overrides replace one local date's weekly hours. Instants are written with "Z" so these hold whatever
 * the process time zone is.
 */
import { describe, expect, it } from '@jest/globals'

import {
  checkBooking,
  duplicateDates,
  isLocalDate,
  openSlots,
  rangesProblem,
  resolveBookingPolicy,
  strandedSessions,
  type TutorHours,
  type TutorSchedule,
  weeklyWindows,
  type WeeklyRule,
} from '../../../src/scheduling'

const at = (iso: string) => Date.parse(iso)
const span = (startIso: string, endIso: string) => ({ start: at(startIso), end: at(endIso) })
const everyDay = (start: string, end: string): WeeklyRule[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, start, end }))

describe('weeklyWindows with date overrides', () => {
  const zone = 'America/New_York'
  const rules = everyDay('09:00', '17:00')

  it('an override without ranges closes that local date and leaves its neighbours alone', () => {
    const result = weeklyWindows({
      timeZone: zone,
      weeklyRules: rules,
      dateOverrides: [{ date: '2026-12-08', ranges: [] }],
      range: span('2026-12-07T00:00:00Z', '2026-12-10T00:00:00Z'),
    })
    expect(result).toEqual([span('2026-12-07T14:00:00Z', '2026-12-07T22:00:00Z'), span('2026-12-09T14:00:00Z', '2026-12-09T22:00:00Z')])
  })

  it('an override with ranges replaces the day\'s weekly hours by exactly those ranges', () => {
    const result = weeklyWindows({
      timeZone: zone,
      weeklyRules: rules,
      dateOverrides: [{ date: '2026-12-08', ranges: [{ start: '07:00', end: '08:30' }, { start: '19:00', end: '24:00' }] }],
      range: span('2026-12-08T05:00:00Z', '2026-12-09T05:00:00Z'), // the whole local 8 Dec (EST, UTC−5)
    })
    expect(result).toEqual([span('2026-12-08T12:00:00Z', '2026-12-08T13:30:00Z'), span('2026-12-09T00:00:00Z', '2026-12-09T05:00:00Z')])
  })

  it('on a spring-forward date an override follows the wall clock: 01:00–04:00 is two real hours', () => {
    // Sun 2026-03-08 in New York: 02:00 EST jumps to 03:00 EDT.
    const result = weeklyWindows({
      timeZone: zone,
      weeklyRules: rules,
      dateOverrides: [{ date: '2026-03-08', ranges: [{ start: '01:00', end: '04:00' }] }],
      range: span('2026-03-08T00:00:00Z', '2026-03-09T04:00:00Z'),
    })
    expect(result).toEqual([span('2026-03-08T06:00:00Z', '2026-03-08T08:00:00Z')])
  })

  it('on a fall-back date a closed override closes all 25 hours', () => {
    const result = weeklyWindows({
      timeZone: zone,
      weeklyRules: everyDay('00:00', '24:00'),
      dateOverrides: [{ date: '2026-11-01', ranges: [] }],
      range: span('2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z'),
    })
    // 31 Oct ends at 04:00Z (EDT); 2 Nov starts at 05:00Z (EST); 1 Nov in between is closed.
    expect(result).toEqual([span('2026-11-01T00:00:00Z', '2026-11-01T04:00:00Z'), span('2026-11-02T05:00:00Z', '2026-11-03T00:00:00Z')])
  })

  it('the date is the tutor\'s local date, not the UTC date', () => {
    // Asia/Tokyo (UTC+9): local 2026-12-08 is 2026-12-07T15:00Z – 2026-12-08T15:00Z.
    const result = weeklyWindows({
      timeZone: 'Asia/Tokyo',
      weeklyRules: everyDay('00:00', '24:00'),
      dateOverrides: [{ date: '2026-12-08', ranges: [] }],
      range: span('2026-12-07T12:00:00Z', '2026-12-08T18:00:00Z'),
    })
    expect(result).toEqual([span('2026-12-07T12:00:00Z', '2026-12-07T15:00:00Z'), span('2026-12-08T15:00:00Z', '2026-12-08T18:00:00Z')])
  })
})

describe('the slot search and the booking check follow overrides', () => {
  const tutor: TutorSchedule = {
    name: 'Ada',
    timeZone: 'Europe/London',
    weeklyRules: everyDay('09:00', '12:00'),
    dateOverrides: [
      { date: '2026-12-08', ranges: [] },
      { date: '2026-12-09', ranges: [{ start: '14:00', end: '15:00' }] },
    ],
    timeOff: [],
    policy: resolveBookingPolicy({ minimumNoticeMinutes: 0, slotIntervalMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }),
    sessionLengths: [60],
  }
  const now = at('2026-12-01T00:00:00Z')

  it('serves nothing on a closed date and exactly the override\'s hours on a changed date', () => {
    const slots = openSlots({ tutor, busy: [], range: span('2026-12-08T00:00:00Z', '2026-12-10T00:00:00Z'), durationMinutes: 60, now })
    expect(slots).toEqual([span('2026-12-09T14:00:00Z', '2026-12-09T15:00:00Z')])
  })

  it('refuses a booking in the weekly hours of a closed date', () => {
    const check = checkBooking({ tutor, busyTutor: [], busyStudent: [], start: at('2026-12-08T09:00:00Z'), durationMinutes: 60, now, enforceWeeklyRules: true })
    expect(check).toMatchObject({ ok: false, code: 'OUTSIDE_AVAILABILITY' })
    const inOverride = checkBooking({ tutor, busyTutor: [], busyStudent: [], start: at('2026-12-09T14:00:00Z'), durationMinutes: 60, now, enforceWeeklyRules: true })
    expect(inOverride.ok).toBe(true)
  })
})

describe('stranding by an override', () => {
  const hours: TutorHours = { timeZone: 'Europe/London', weeklyRules: [{ day: 'mon', start: '09:00', end: '17:00' }], timeOff: [] }
  const monday = { id: 'a1', start: at('2026-12-07T10:00:00Z'), end: at('2026-12-07T11:00:00Z') }
  const now = at('2026-12-01T00:00:00Z')

  it('a closed date strands its booked sessions; hours that still hold them do not', () => {
    const closed = { ...hours, dateOverrides: [{ date: '2026-12-07', ranges: [] }] }
    expect(strandedSessions({ before: hours, after: closed, sessions: [monday], now })).toEqual([{ ...monday, cause: 'weekly_hours' }])
    const stillHeld = { ...hours, dateOverrides: [{ date: '2026-12-07', ranges: [{ start: '10:00', end: '12:00' }] }] }
    expect(strandedSessions({ before: hours, after: stillHeld, sessions: [monday], now })).toEqual([])
  })
})

describe('override validation', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(isLocalDate('2026-12-24')).toBe(true)
    expect(isLocalDate('2026-02-30')).toBe(false)
    expect(isLocalDate('24/12/2026')).toBe(false)
  })

  it('checks ranges like weekly hours and refuses overlaps', () => {
    expect(rangesProblem([])).toBeUndefined()
    expect(rangesProblem([{ start: '09:00', end: '24:00' }])).toBeUndefined()
    expect(rangesProblem([{ start: '9', end: '10:00' }])).toMatch(/HH:mm/)
    expect(rangesProblem([{ start: '10:00', end: '09:00' }])).toMatch(/end must be after start/)
    expect(rangesProblem([{ start: '09:00', end: '11:00' }, { start: '10:00', end: '12:00' }])).toMatch(/overlap/)
    expect(duplicateDates([{ date: '2026-12-24' }, { date: '2026-12-25' }, { date: '2026-12-24' }])).toEqual(['2026-12-24'])
  })
})
