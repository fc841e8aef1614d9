import { describe, expect, it } from '@jest/globals'
import { DateTime } from 'luxon'

import { type BookingCheck, canStudentCancel, checkBooking, isOfferedStartTime, openSlots, type TutorSchedule } from '../../../src/scheduling/availability'
import { type Interval, HOUR_MS, MINUTE_MS } from '../../../src/scheduling/intervals'
import { DEFAULT_BOOKING_POLICY, resolveBookingPolicy } from '../../../src/scheduling/policy'

const zone = 'Europe/London'
/** Local London wall time (these dates are all in BST, UTC+1). */
const london = (iso: string): number => DateTime.fromISO(iso, { zone }).toMillis()
const session = (startIso: string, endIso: string): Interval => ({ start: london(startIso), end: london(endIso) })

const tutor: TutorSchedule = {
  name: 'Ada Lovelace',
  timeZone: zone,
  weeklyRules: [
    { day: 'mon', start: '09:00', end: '13:00' },
    { day: 'mon', start: '14:00', end: '17:00' },
  ],
  timeOff: [session('2026-06-15T14:00', '2026-06-15T15:30')],
  policy: resolveBookingPolicy({ bufferBeforeMinutes: 15, bufferAfterMinutes: 15, minimumNoticeHours: 12, bookingHorizonDays: 30 }),
  sessionLengths: [30, 60],
}
// Friday before the Monday 2026-06-15 used below.
const now = london('2026-06-12T10:00')
/** A student in the tutor's zone; messages for other zones and for staff are in messages.test.ts. */
const student = { role: 'student', studentTimeZone: zone } as const

function check(overrides: Partial<Parameters<typeof checkBooking>[0]> & { startIso?: string } = {}): BookingCheck {
  const { startIso = '2026-06-15T10:00', ...rest } = overrides
  return checkBooking({
    tutor,
    busyTutor: [],
    busyStudent: [],
    start: london(startIso),
    durationMinutes: 60,
    now,
    enforceWeeklyRules: true,
    audience: student,
    ...rest,
  })
}

function refusal(result: BookingCheck): { code: string; message: string } {
  if (result.ok) throw new Error(`expected a refusal, got ok for ${JSON.stringify(result.interval)}`)
  return { code: result.code, message: result.message }
}

describe('checkBooking', () => {
  it('accepts a session inside the weekly hours and returns its interval', () => {
    expect(check()).toEqual({ ok: true, interval: session('2026-06-15T10:00', '2026-06-15T11:00') })
  })

  it('accepts a session ending exactly when a window ends', () => {
    expect(check({ startIso: '2026-06-15T12:00' }).ok).toBe(true)
  })

  describe('INVALID_DURATION', () => {
    it('refuses a length the tutor does not offer, naming the ones they do', () => {
      expect(refusal(check({ durationMinutes: 45 }))).toEqual({
        code: 'INVALID_DURATION',
        message: 'Ada Lovelace offers sessions of 30 or 60 minutes; 45 minutes is not one of them.',
      })
    })

    it('allows an unoffered length when weekly rules are not enforced (staff booking)', () => {
      expect(check({ durationMinutes: 45, enforceWeeklyRules: false }).ok).toBe(true)
    })

    it.each([0, -30, 7, 62.5, 8 * 60 + 5, Number.NaN])('always refuses %p minutes', (durationMinutes) => {
      expect(refusal(check({ durationMinutes, enforceWeeklyRules: false })).code).toBe('INVALID_DURATION')
    })
  })

  describe('MISALIGNED_START', () => {
    it('refuses a start off the 5-minute grid, showing the local time', () => {
      expect(refusal(checkBooking({
        tutor, busyTutor: [], busyStudent: [], now, enforceWeeklyRules: true, durationMinutes: 60, audience: student,
        start: london('2026-06-15T10:03:20'),
      }))).toEqual({
        code: 'MISALIGNED_START',
        message: 'Sessions start on a 5-minute mark (such as 10:00 or 10:05); 10:03:20 (your time, Europe/London) is not one.',
      })
    })

    it('refuses a start that is not a number', () => {
      expect(refusal(check({ start: Number.NaN })).code).toBe('MISALIGNED_START')
    })
  })

  describe('NOT_AN_OFFERED_START', () => {
    it('refuses a start between two offered ones (30-minute slot interval) and names the nearest offered starts', () => {
      expect(refusal(check({ startIso: '2026-06-15T10:10' }))).toEqual({
        code: 'NOT_AN_OFFERED_START',
        message:
          'Ada Lovelace offers start times every 30 minutes, and Mon 15 Jun 2026 10:10 (your time, Europe/London) is not one of them. The nearest free starts are Mon 15 Jun 2026 10:00 or 10:30 (your time, Europe/London).',
      })
    })

    it('names only starts the slot search offers: free, inside the hours, clear of buffers and time off', () => {
      const busy = session('2026-06-15T11:00', '2026-06-15T12:00')
      const slotStarts = openSlots({ tutor, busy: [busy], range: session('2026-06-15T00:00', '2026-06-16T00:00'), durationMinutes: 60, now })
        .map((slot) => DateTime.fromMillis(slot.start, { zone }).toFormat('HH:mm'))
      // 10:00 and 12:00 would touch the 15-minute buffers; 12:30 runs past 13:00; 14:00–15:30 is time off.
      expect(slotStarts).toEqual(['09:00', '09:30', '15:30', '16:00'])
      expect(refusal(check({ startIso: '2026-06-15T11:10', busyTutor: [busy] })).message).toMatch(
        /The nearest free starts are Mon 15 Jun 2026 09:30 or 15:30 \(your time, Europe\/London\)\.$/,
      )
    })

    it('says so when no start within a day either side is free', () => {
      const wholeWeekend = session('2026-06-14T00:00', '2026-06-17T00:00')
      expect(refusal(check({ startIso: '2026-06-15T10:10', busyTutor: [wholeWeekend] })).message).toBe(
        'Ada Lovelace offers start times every 30 minutes, and Mon 15 Jun 2026 10:10 (your time, Europe/London) is not one of them. No start within a day of it is free; choose another day.',
      )
    })

    it('comes before notice, hours and conflicts, so the answer offers starts that work', () => {
      const tooSoonAndOffGrid = check({ startIso: '2026-06-15T10:10', now: london('2026-06-15T01:00') })
      expect(refusal(tooSoonAndOffGrid).code).toBe('NOT_AN_OFFERED_START')
      // Notice rules out everything before 13:00; 13:00–14:00 runs past the 13:00 window end, then time off till 15:30.
      expect(refusal(tooSoonAndOffGrid).message).toMatch(/The nearest free start is Mon 15 Jun 2026 15:30 \(your time, Europe\/London\)\.$/)
    })

    it('lets staff place a session off the grid on purpose', () => {
      const staff = { role: 'staff', studentTimeZone: zone } as const
      expect(check({ startIso: '2026-06-15T10:10', enforceWeeklyRules: false, audience: staff }).ok).toBe(true)
      expect(check({ startIso: '2026-06-15T10:10', enforceSlotGrid: false }).ok).toBe(true)
    })

    it('follows the tutor’s wall clock across a fall-back change: both 01:00s and both 01:30s are offered', () => {
      const newYork: TutorSchedule = {
        ...tutor,
        timeZone: 'America/New_York',
        weeklyRules: [{ day: 'sun', start: '00:00', end: '24:00' }],
        timeOff: [],
        policy: resolveBookingPolicy({ minimumNoticeHours: 0, bookingHorizonDays: 30 }),
      }
      const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).toMillis()
      // 01:00 and 01:30 EDT are 05:00/05:30Z; 01:00 and 01:30 EST are 06:00/06:30Z.
      for (const iso of ['2026-11-01T05:00', '2026-11-01T05:30', '2026-11-01T06:00', '2026-11-01T06:30']) {
        expect([iso, isOfferedStartTime(newYork, utc(iso))]).toEqual([iso, true])
      }
      expect(isOfferedStartTime(newYork, utc('2026-11-01T05:10'))).toBe(false)
      const refused = checkBooking({
        tutor: newYork, busyTutor: [], busyStudent: [], start: utc('2026-11-01T06:10'), durationMinutes: 60,
        now: utc('2026-10-30T00:00'), enforceWeeklyRules: true, audience: { role: 'student', studentTimeZone: 'America/New_York' },
      })
      // The second 01:10 lies between the second 01:00 and 01:30, in EST.
      expect(refusal(refused).message).toContain('The nearest free starts are Sun 1 Nov 2026 01:00 or 01:30 (your time, America/New_York)')
    })

    it('restarts the grid at each local midnight when the interval does not divide the day (50 minutes)', () => {
      const fifty = { ...tutor, policy: { ...tutor.policy, slotIntervalMinutes: 50 } }
      expect(isOfferedStartTime(fifty, london('2026-06-15T23:20'))).toBe(true) // 28 × 50 minutes
      expect(isOfferedStartTime(fifty, london('2026-06-16T00:00'))).toBe(true)
      expect(isOfferedStartTime(fifty, london('2026-06-16T00:10'))).toBe(false) // 23:20 + 50 minutes
      expect(isOfferedStartTime(fifty, london('2026-06-15T10:00'))).toBe(true)
      expect(isOfferedStartTime(fifty, london('2026-06-15T10:00') + 1_000)).toBe(false)
    })
  })

  describe('TOO_SOON and TOO_FAR', () => {
    it('refuses a start inside the minimum notice, saying when the earliest start is', () => {
      expect(refusal(check({ now: london('2026-06-15T01:00') }))).toEqual({
        code: 'TOO_SOON',
        message:
          'Ada Lovelace needs notice of at least 12 hours: you chose Mon 15 Jun 2026 10:00 (your time, Europe/London); choose a start at or after Mon 15 Jun 2026 13:00 (your time, Europe/London).',
      })
    })

    it('accepts a start exactly at the notice boundary', () => {
      expect(check({ now: london('2026-06-14T22:00') }).ok).toBe(true)
    })

    it('says so when the start has already passed', () => {
      expect(refusal(check({ now: london('2026-06-15T10:05') }))).toEqual({
        code: 'TOO_SOON',
        message: 'The time you chose, Mon 15 Jun 2026 10:00 (your time, Europe/London), has already passed.',
      })
    })

    it('refuses a start beyond the booking horizon', () => {
      expect(refusal(check({ now: london('2026-05-01T10:00') }))).toEqual({
        code: 'TOO_FAR',
        message:
          'Ada Lovelace takes bookings up to 30 days ahead: you chose Mon 15 Jun 2026 10:00 (your time, Europe/London); choose a start at or before Sun 31 May 2026 10:00 (your time, Europe/London).',
      })
    })

    it('accepts a start exactly at the horizon', () => {
      expect(check({ now: london('2026-05-16T10:00') }).ok).toBe(true)
    })

    it('skips notice and horizon when enforceNotice is false', () => {
      expect(check({ now: london('2026-06-15T09:59'), enforceNotice: false }).ok).toBe(true)
      expect(check({ now: london('2026-01-01T00:00'), enforceNotice: false }).ok).toBe(true)
    })
  })

  describe('OUTSIDE_AVAILABILITY', () => {
    it('refuses a session starting before the weekly hours and lists the hours that day', () => {
      expect(refusal(check({ startIso: '2026-06-15T08:00' }))).toEqual({
        code: 'OUTSIDE_AVAILABILITY',
        message:
          'Ada Lovelace is not available for all of the time you chose, Mon 15 Jun 2026 08:00–09:00 (your time, Europe/London); their hours that day are Mon 15 Jun 2026 09:00–13:00, 14:00–17:00 (your time, Europe/London).',
      })
    })

    it('refuses a session spanning the gap between two windows', () => {
      expect(refusal(check({ startIso: '2026-06-15T12:30' })).code).toBe('OUTSIDE_AVAILABILITY')
    })

    it('names the weekday when the tutor has no hours that day', () => {
      expect(refusal(check({ startIso: '2026-06-16T10:00' })).message).toMatch(/they take no sessions on Tuesdays\.$/)
    })

    it('refuses a session overlapping time off, even when weekly rules are not enforced; only staff learn the away range (time off is private)', () => {
      expect(refusal(check({ startIso: '2026-06-15T15:00' }))).toEqual({
        code: 'OUTSIDE_AVAILABILITY',
        message:
          'Ada Lovelace is not available Mon 15 Jun 2026 15:00–16:00 (your time, Europe/London), the time you chose. Choose another time.',
      })
      expect(refusal(check({ startIso: '2026-06-15T15:00', enforceWeeklyRules: false, audience: { role: 'staff', studentTimeZone: zone } }))).toEqual({
        code: 'OUTSIDE_AVAILABILITY',
        message:
          "Ada Lovelace is away Mon 15 Jun 2026 14:00–15:30 (Europe/London, tutor's and student's time), which overlaps this session, Mon 15 Jun 2026 15:00–16:00 (Europe/London, tutor's and student's time). Choose another time.",
      })
    })

    it('allows a session outside the weekly hours when they are not enforced', () => {
      expect(check({ startIso: '2026-06-15T07:00', enforceWeeklyRules: false }).ok).toBe(true)
    })
  })

  describe('SLOT_UNAVAILABLE', () => {
    const existing = session('2026-06-15T10:00', '2026-06-15T11:00')
    // Start times every 5 minutes, so the buffers decide and not the grid of offered starts.
    const fineGrid = { ...tutor, policy: { ...tutor.policy, slotIntervalMinutes: 5 } }

    it('refuses a session closer than both buffers to another of the tutor’s sessions', () => {
      // 15 minutes after the first session plus 15 before the second: the next start can be 11:30.
      expect(refusal(check({ tutor: fineGrid, startIso: '2026-06-15T11:25', durationMinutes: 30, busyTutor: [existing] }))).toEqual({
        code: 'SLOT_UNAVAILABLE',
        message:
          'Ada Lovelace already has a session Mon 15 Jun 2026 10:00–11:00 (your time, Europe/London) and keeps 15 minutes free before and after each session, so the time you chose, Mon 15 Jun 2026 11:25–11:55 (your time, Europe/London), is not free. Choose another time.',
      })
      expect(check({ startIso: '2026-06-15T11:30', durationMinutes: 30, busyTutor: [existing] }).ok).toBe(true)
      expect(refusal(check({ tutor: fineGrid, startIso: '2026-06-15T09:05', durationMinutes: 30, busyTutor: [existing] })).code).toBe('SLOT_UNAVAILABLE')
      expect(check({ startIso: '2026-06-15T09:00', durationMinutes: 30, busyTutor: [existing] }).ok).toBe(true)
    })

    it('applies the same rule to bookings made by staff', () => {
      expect(refusal(check({ startIso: '2026-06-15T10:30', busyTutor: [existing], enforceWeeklyRules: false })).code).toBe('SLOT_UNAVAILABLE')
    })

    it('without buffers, allows back-to-back sessions', () => {
      const noBuffers = { ...tutor, policy: { ...fineGrid.policy, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 } }
      expect(check({ tutor: noBuffers, startIso: '2026-06-15T11:00', busyTutor: [existing] }).ok).toBe(true)
      expect(refusal(check({ tutor: noBuffers, startIso: '2026-06-15T10:55', busyTutor: [existing] })).message).toBe(
        'Ada Lovelace already has a session Mon 15 Jun 2026 10:00–11:00 (your time, Europe/London), so the time you chose, Mon 15 Jun 2026 10:55–11:55 (your time, Europe/London), is not free. Choose another time.',
      )
    })
  })

  describe('STUDENT_BUSY', () => {
    it('refuses when the student has another session at the same time', () => {
      expect(refusal(check({ busyStudent: [session('2026-06-15T10:30', '2026-06-15T11:30')] }))).toEqual({
        code: 'STUDENT_BUSY',
        message:
          'You already have a session Mon 15 Jun 2026 10:30–11:30 (your time, Europe/London), which overlaps the one you chose, Mon 15 Jun 2026 10:00–11:00 (your time, Europe/London). Cancel that one first or choose another time.',
      })
    })

    it('does not apply the tutor’s buffers to the student', () => {
      expect(check({ busyStudent: [session('2026-06-15T11:00', '2026-06-15T12:00')] }).ok).toBe(true)
    })
  })

  it('reports the first failing check in the documented order', () => {
    const busy = [session('2026-06-15T08:00', '2026-06-15T09:00')]
    const everythingWrong = { startIso: '2026-06-15T08:00', busyTutor: busy, busyStudent: busy }
    expect(refusal(check({ ...everythingWrong, durationMinutes: 45 })).code).toBe('INVALID_DURATION')
    expect(refusal(check({ ...everythingWrong, now: london('2026-06-15T07:00') })).code).toBe('TOO_SOON')
    expect(refusal(check(everythingWrong)).code).toBe('OUTSIDE_AVAILABILITY')
    expect(refusal(check({ ...everythingWrong, enforceWeeklyRules: false })).code).toBe('SLOT_UNAVAILABLE')
    expect(refusal(check({ ...everythingWrong, enforceWeeklyRules: false, busyTutor: [] })).code).toBe('STUDENT_BUSY')
  })

  it('throws for a hand-built policy the scheduler cannot use', () => {
    const badPolicy = { ...tutor, policy: { ...tutor.policy, bufferAfterMinutes: 7 } }
    expect(() => check({ tutor: badPolicy })).toThrow(/Buffer after of 7 minutes/)
    const zeroStep = { ...tutor, policy: { ...tutor.policy, slotIntervalMinutes: 0 } }
    expect(() => openSlots({ tutor: zeroStep, busy: [], range: session('2026-06-15T00:00', '2026-06-16T00:00'), durationMinutes: 60, now })).toThrow(RangeError)
  })

  it('throws for a tutor time zone that is not a valid IANA name', () => {
    expect(() => check({ tutor: { ...tutor, timeZone: 'Mars/Olympus' } })).toThrow(/not a valid IANA time zone/)
  })
})

describe('openSlots with buffers', () => {
  it('leaves both buffers between sessions and skips time off', () => {
    const slots = openSlots({
      tutor,
      busy: [session('2026-06-15T10:00', '2026-06-15T11:00')],
      range: session('2026-06-15T00:00', '2026-06-16T00:00'),
      durationMinutes: 60,
      now,
    })
    expect(slots.map((slot) => DateTime.fromMillis(slot.start, { zone }).toFormat('HH:mm'))).toEqual(['11:30', '12:00', '15:30', '16:00'])
  })

  it('includes a start exactly at the notice and at the horizon', () => {
    const range = session('2026-06-15T00:00', '2026-06-16T00:00')
    const atNotice = openSlots({ tutor, busy: [], range, durationMinutes: 60, now: london('2026-06-14T21:30') })
    expect(DateTime.fromMillis(atNotice[0].start, { zone }).toFormat('HH:mm')).toBe('09:30')
    const atHorizon = openSlots({ tutor, busy: [], range, durationMinutes: 60, now: london('2026-05-16T09:30') })
    expect(atHorizon.map((slot) => DateTime.fromMillis(slot.start, { zone }).toFormat('HH:mm'))).toEqual(['09:00', '09:30'])
  })

  it('throws for a length the tutor does not offer', () => {
    expect(() => openSlots({ tutor, busy: [], range: session('2026-06-15T00:00', '2026-06-16T00:00'), durationMinutes: 45, now })).toThrow(
      /offers sessions of 30 or 60 minutes/,
    )
  })

  it('returns nothing when the range lies wholly before the notice or after the horizon', () => {
    const range = session('2026-06-15T00:00', '2026-06-16T00:00')
    expect(openSlots({ tutor, busy: [], range, durationMinutes: 60, now: london('2026-06-15T12:00') })).toEqual([])
    expect(openSlots({ tutor, busy: [], range, durationMinutes: 60, now: london('2026-04-01T00:00') })).toEqual([])
  })
})

describe('canStudentCancel', () => {
  const start = Date.UTC(2026, 5, 15, 9, 0)
  const policy = DEFAULT_BOOKING_POLICY
  const inLondon = { policy, studentTimeZone: zone }

  it('allows cancelling before the cutoff, and exactly at it, saying until when in the student’s zone', () => {
    expect(canStudentCancel({ ...inLondon, start, now: start - 48 * HOUR_MS })).toEqual({
      ok: true,
      message: 'You can cancel this session until Sun 14 Jun 2026 10:00 (your time, Europe/London), 24 hours before it starts.',
    })
    expect(canStudentCancel({ ...inLondon, start, now: start - 24 * HOUR_MS }).ok).toBe(true)
  })

  it('refuses inside the cutoff and says how soon the session is', () => {
    expect(canStudentCancel({ ...inLondon, start, now: start - 5 * HOUR_MS - 30 * MINUTE_MS })).toEqual({
      ok: false,
      facts: { code: 'CANCELLATION_CUTOFF_PASSED', action: 'cancel', start, now: start - 5 * HOUR_MS - 30 * MINUTE_MS, cutoffHours: 24 },
      message:
        'You can cancel a session up to 24 hours before it starts, and yours starts in 5 hours 30 minutes, at Mon 15 Jun 2026 10:00 (your time, Europe/London). Please contact your tutor.',
    })
  })

  it('speaks of changing when the student tries to reschedule', () => {
    expect(canStudentCancel({ ...inLondon, start, now: start - HOUR_MS, action: 'change' }).message).toBe(
      'You can change a session up to 24 hours before it starts, and yours starts in 1 hour, at Mon 15 Jun 2026 10:00 (your time, Europe/London). Please contact your tutor.',
    )
  })

  it('refuses once the session has started', () => {
    expect(canStudentCancel({ ...inLondon, start, now: start })).toEqual({
      ok: false,
      facts: { code: 'CANCELLATION_CUTOFF_PASSED', action: 'cancel', start, now: start, cutoffHours: 24 },
      message: 'Your session started at Mon 15 Jun 2026 10:00 (your time, Europe/London), so it can no longer be cancelled.',
    })
  })

  it('with a zero cutoff, allows cancelling right up to the start', () => {
    const noCutoff = { ...inLondon, policy: { ...policy, cancellationCutoffHours: 0 } }
    expect(canStudentCancel({ ...noCutoff, start, now: start - 1 }).ok).toBe(true)
    expect(canStudentCancel({ ...noCutoff, start, now: start }).ok).toBe(false)
  })
})
