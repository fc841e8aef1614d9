/**
 * Named DST cases. Every instant is written with an explicit zone or "Z", so these hold whatever the
 * process time zone is.
 */
import { describe, expect, it } from '@jest/globals'
import { DateTime } from 'luxon'

import { type Interval, MINUTE_MS } from '../../../src/scheduling/intervals'
import { openSlots, type TutorSchedule, weeklyWindows } from '../../../src/scheduling/availability'
import { resolveBookingPolicy } from '../../../src/scheduling/policy'
import type { WeeklyRule } from '../../../src/scheduling/weeklyRules'

const utc = (iso: string): number => DateTime.fromISO(iso, { zone: 'utc' }).toMillis()
const span = (startIso: string, endIso: string): Interval => ({ start: utc(startIso), end: utc(endIso) })
const minutesOf = (intervals: Interval[]): number[] => intervals.map((item) => (item.end - item.start) / MINUTE_MS)

function windows(timeZone: string, weeklyRules: WeeklyRule[], range: Interval): Interval[] {
  return weeklyWindows({ timeZone, weeklyRules, range })
}

describe('America/New_York, spring forward on Sun 2026-03-08 (02:00 EST → 03:00 EDT)', () => {
  const zone = 'America/New_York'
  const aroundTheChange = span('2026-03-06T00:00', '2026-03-11T00:00')

  it('keeps a 09:00–17:00 rule at 09:00–17:00 local on both sides of the change', () => {
    const rules: WeeklyRule[] = [
      { day: 'sat', start: '09:00', end: '17:00' },
      { day: 'sun', start: '09:00', end: '17:00' },
      { day: 'mon', start: '09:00', end: '17:00' },
    ]
    expect(windows(zone, rules, aroundTheChange)).toEqual([
      span('2026-03-07T14:00', '2026-03-07T22:00'), // EST, UTC−5
      span('2026-03-08T13:00', '2026-03-08T21:00'), // EDT, UTC−4
      span('2026-03-09T13:00', '2026-03-09T21:00'),
    ])
  })

  it('makes 01:30–03:00 only 30 real minutes, because 02:00–03:00 does not exist that day', () => {
    const result = windows(zone, [{ day: 'sun', start: '01:30', end: '03:00' }], aroundTheChange)
    expect(result).toEqual([span('2026-03-08T06:30', '2026-03-08T07:00')])
    expect(minutesOf(result)).toEqual([30])
  })

  it('moves a start inside the skipped hour forward to the first existing instant (03:00 EDT)', () => {
    expect(windows(zone, [{ day: 'sun', start: '02:30', end: '04:00' }], aroundTheChange)).toEqual([
      span('2026-03-08T07:00', '2026-03-08T08:00'),
    ])
  })

  it('leaves a rule lying wholly inside the skipped hour empty that day', () => {
    expect(windows(zone, [{ day: 'sun', start: '02:00', end: '02:30' }], aroundTheChange)).toEqual([])
  })

  it('offers no start time inside the skipped hour', () => {
    const tutor = scheduleFor(zone, [{ day: 'sun', start: '01:00', end: '04:00' }])
    const slots = openSlots({ tutor, busy: [], range: aroundTheChange, durationMinutes: 30, now: utc('2026-02-01T00:00') })
    expect(slots.map((slot) => DateTime.fromMillis(slot.start, { zone }).toFormat('HH:mm ZZZZ'))).toEqual([
      '01:00 EST',
      '01:30 EST',
      '03:00 EDT',
      '03:30 EDT',
    ])
  })
})

describe('America/New_York, fall back on Sun 2026-11-01 (02:00 EDT → 01:00 EST)', () => {
  const zone = 'America/New_York'
  const aroundTheChange = span('2026-10-30T00:00', '2026-11-04T00:00')

  it('keeps a 09:00–17:00 rule at 09:00–17:00 local on both sides of the change', () => {
    const rules: WeeklyRule[] = [
      { day: 'sat', start: '09:00', end: '17:00' },
      { day: 'sun', start: '09:00', end: '17:00' },
    ]
    expect(windows(zone, rules, aroundTheChange)).toEqual([
      span('2026-10-31T13:00', '2026-10-31T21:00'), // EDT
      span('2026-11-01T14:00', '2026-11-01T22:00'), // EST
    ])
  })

  it('gives 00:00–03:00 both occurrences of the repeated hour: 4 real hours', () => {
    const result = windows(zone, [{ day: 'sun', start: '00:00', end: '03:00' }], aroundTheChange)
    expect(result).toEqual([span('2026-11-01T04:00', '2026-11-01T08:00')])
    expect(minutesOf(result)).toEqual([240])
  })

  it('gives a rule lying partly inside the repeated hour both of its occurrences, as two windows', () => {
    expect(windows(zone, [{ day: 'sun', start: '01:00', end: '01:30' }], aroundTheChange)).toEqual([
      span('2026-11-01T05:00', '2026-11-01T05:30'), // 01:00–01:30 EDT
      span('2026-11-01T06:00', '2026-11-01T06:30'), // 01:00–01:30 EST
    ])
  })

  it('offers both 01:00 and both 01:30 start times, each a real hour long', () => {
    const tutor = scheduleFor(zone, [{ day: 'sun', start: '00:00', end: '03:00' }])
    const slots = openSlots({ tutor, busy: [], range: aroundTheChange, durationMinutes: 60, now: utc('2026-10-01T00:00') })
    expect(slots.map((slot) => DateTime.fromMillis(slot.start, { zone }).toFormat('HH:mm ZZZZ'))).toEqual([
      '00:00 EDT',
      '00:30 EDT',
      '01:00 EDT',
      '01:30 EDT',
      '01:00 EST',
      '01:30 EST',
      '02:00 EST',
    ])
    expect(new Set(minutesOf(slots))).toEqual(new Set([60]))
  })
})

describe('Europe/London, spring forward on Sun 2026-03-29 (01:00 GMT → 02:00 BST)', () => {
  const zone = 'Europe/London'
  const aroundTheChange = span('2026-03-27T00:00', '2026-04-01T00:00')

  it('keeps a 09:00–17:00 rule at 09:00–17:00 local on both sides of the change', () => {
    const rules: WeeklyRule[] = [
      { day: 'sat', start: '09:00', end: '17:00' },
      { day: 'sun', start: '09:00', end: '17:00' },
    ]
    expect(windows(zone, rules, aroundTheChange)).toEqual([
      span('2026-03-28T09:00', '2026-03-28T17:00'), // GMT
      span('2026-03-29T08:00', '2026-03-29T16:00'), // BST
    ])
  })

  it('makes 00:30–02:30 one real hour, because 01:00–02:00 is skipped', () => {
    const result = windows(zone, [{ day: 'sun', start: '00:30', end: '02:30' }], aroundTheChange)
    expect(result).toEqual([span('2026-03-29T00:30', '2026-03-29T01:30')])
    expect(minutesOf(result)).toEqual([60])
  })

  it('leaves the skipped hour itself empty', () => {
    expect(windows(zone, [{ day: 'sun', start: '01:00', end: '02:00' }], aroundTheChange)).toEqual([])
  })
})

describe('Europe/London, fall back on Sun 2026-10-25 (02:00 BST → 01:00 GMT)', () => {
  const zone = 'Europe/London'
  const aroundTheChange = span('2026-10-23T00:00', '2026-10-28T00:00')

  it('keeps a 09:00–17:00 rule at 09:00–17:00 local on both sides of the change', () => {
    const rules: WeeklyRule[] = [
      { day: 'sat', start: '09:00', end: '17:00' },
      { day: 'sun', start: '09:00', end: '17:00' },
    ]
    expect(windows(zone, rules, aroundTheChange)).toEqual([
      span('2026-10-24T08:00', '2026-10-24T16:00'), // BST
      span('2026-10-25T09:00', '2026-10-25T17:00'), // GMT
    ])
  })

  it('gives 00:00–03:00 both occurrences of the repeated hour: 4 real hours starting the evening before in UTC', () => {
    const result = windows(zone, [{ day: 'sun', start: '00:00', end: '03:00' }], aroundTheChange)
    expect(result).toEqual([span('2026-10-24T23:00', '2026-10-25T03:00')])
    expect(minutesOf(result)).toEqual([240])
  })

  it('makes the repeated hour 01:00–02:00 two real hours', () => {
    expect(windows(zone, [{ day: 'sun', start: '01:00', end: '02:00' }], aroundTheChange)).toEqual([
      span('2026-10-25T00:00', '2026-10-25T02:00'),
    ])
  })
})

describe('zones far from UTC', () => {
  it('finds a Monday-morning rule in Pacific/Auckland when the range is the UTC Sunday', () => {
    // Mon 2026-06-01 09:00 NZST (UTC+12) is Sun 2026-05-31 21:00 UTC.
    expect(windows('Pacific/Auckland', [{ day: 'mon', start: '09:00', end: '10:00' }], span('2026-05-31T00:00', '2026-06-01T00:00'))).toEqual([
      span('2026-05-31T21:00', '2026-05-31T22:00'),
    ])
  })

  it('finds a Sunday-evening rule in America/Los_Angeles when the range is the UTC Monday', () => {
    // Sun 2026-05-31 20:00 PDT (UTC−7) is Mon 2026-06-01 03:00 UTC.
    expect(windows('America/Los_Angeles', [{ day: 'sun', start: '20:00', end: '22:00' }], span('2026-06-01T00:00', '2026-06-02T00:00'))).toEqual([
      span('2026-06-01T03:00', '2026-06-01T05:00'),
    ])
  })

  it('joins Sunday 22:00–24:00 and Monday 00:00–02:00 into one window across midnight', () => {
    const rules: WeeklyRule[] = [
      { day: 'sun', start: '22:00', end: '24:00' },
      { day: 'mon', start: '00:00', end: '02:00' },
    ]
    expect(windows('Asia/Kathmandu', rules, span('2026-05-30T00:00', '2026-06-03T00:00'))).toEqual([
      span('2026-05-31T16:15', '2026-05-31T20:15'), // UTC+5:45
    ])
  })
})

describe('a tutor in Asia/Kolkata seen by a student in America/Los_Angeles', () => {
  const tutorZone = 'Asia/Kolkata'
  const viewerZone = 'America/Los_Angeles'
  const tutor = scheduleFor(tutorZone, [{ day: 'mon', start: '09:00', end: '12:00' }])
  const label = (slot: Interval): string =>
    DateTime.fromMillis(slot.start, { zone: viewerZone, locale: 'en-US' }).toFormat("ccc d LLL, h:mm a ZZZZ")

  function mondaySlots(mondayIso: string): string[] {
    const monday = DateTime.fromISO(mondayIso, { zone: tutorZone })
    const range = { start: monday.toMillis(), end: monday.plus({ days: 1 }).toMillis() }
    return openSlots({ tutor, busy: [], range, durationMinutes: 60, now: utc('2026-02-01T00:00') }).map(label)
  }

  it('shows Monday 09:00 IST as Sunday evening 19:30 PST before the US change', () => {
    expect(mondaySlots('2026-03-02')).toEqual([
      'Sun 1 Mar, 7:30 PM PST',
      'Sun 1 Mar, 8:00 PM PST',
      'Sun 1 Mar, 8:30 PM PST',
      'Sun 1 Mar, 9:00 PM PST',
      'Sun 1 Mar, 9:30 PM PST',
    ])
  })

  it('shows the same IST hours an hour later for the viewer after the US change (India has no DST)', () => {
    expect(mondaySlots('2026-03-09')).toEqual([
      'Sun 8 Mar, 8:30 PM PDT',
      'Sun 8 Mar, 9:00 PM PDT',
      'Sun 8 Mar, 9:30 PM PDT',
      'Sun 8 Mar, 10:00 PM PDT',
      'Sun 8 Mar, 10:30 PM PDT',
    ])
  })
})

function scheduleFor(timeZone: string, weeklyRules: WeeklyRule[]): TutorSchedule {
  return {
    name: 'Ada Lovelace',
    timeZone,
    weeklyRules,
    timeOff: [],
    policy: resolveBookingPolicy({ minimumNoticeHours: 0, bookingHorizonDays: 365 }),
    sessionLengths: [30, 60],
  }
}
