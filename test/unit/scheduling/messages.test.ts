/**
 * Refusal wording per audience (src/scheduling/messages.ts): a student is addressed as "you", in their own
 * zone with the zone named and no other zone; staff read about "the student", with the tutor's and the
 * student's zone both named. Every code is covered by the table below (the type makes a missing one fail).
 */
import { describe, expect, it } from '@jest/globals'
import { DateTime } from 'luxon'

import { checkBooking, type TutorSchedule } from '../../../src/scheduling/availability'
import { type Interval, HOUR_MS } from '../../../src/scheduling/intervals'
import { type Reader, type RefusalCode, type RefusalFacts, refusalMessage } from '../../../src/scheduling/messages'
import { resolveBookingPolicy } from '../../../src/scheduling/policy'

const PARIS = 'Europe/Paris'
const SYDNEY = 'Australia/Sydney'
const paris = (iso: string): number => DateTime.fromISO(iso, { zone: PARIS }).toMillis()
const span = (startIso: string, endIso: string): Interval => ({ start: paris(startIso), end: paris(endIso) })

const student: Reader = { role: 'student', studentTimeZone: SYDNEY, tutorTimeZone: PARIS }
const staff: Reader = { role: 'staff', studentTimeZone: SYDNEY, tutorTimeZone: PARIS }

// The report's case: Wed 9 Dec 2026 11:10–12:10 in Paris is 21:10–22:10 in Sydney (UTC+11 in December).
const theirSession = span('2026-12-09T11:10', '2026-12-09T12:10')
const chosen = span('2026-12-09T11:30', '2026-12-09T12:30')
const tutorName = 'Marie Curie'

/** At least one example of every code and variant; `satisfies` fails to compile when a code is left out. */
const examples = {
  INVALID_DURATION: [
    { code: 'INVALID_DURATION', problem: 'granule', minutes: 7 },
    { code: 'INVALID_DURATION', problem: 'not_offered', tutorName, minutes: 45, offered: [30, 60] },
    { code: 'INVALID_DURATION', problem: 'not_offered', tutorName, minutes: 45, offered: [] },
  ],
  MISALIGNED_START: [{ code: 'MISALIGNED_START', start: chosen.start + 20_000 }, { code: 'MISALIGNED_START', start: Number.NaN }],
  NOT_AN_OFFERED_START: [
    { code: 'NOT_AN_OFFERED_START', tutorName, start: paris('2026-12-09T11:10'), slotIntervalMinutes: 30, nearest: [paris('2026-12-09T11:00'), paris('2026-12-09T11:30')] },
    { code: 'NOT_AN_OFFERED_START', tutorName, start: paris('2026-12-09T11:10'), slotIntervalMinutes: 30, nearest: [paris('2026-12-09T14:00')] },
    { code: 'NOT_AN_OFFERED_START', tutorName, start: paris('2026-12-09T11:10'), slotIntervalMinutes: 30, nearest: [] },
  ],
  TOO_SOON: [
    { code: 'TOO_SOON', problem: 'passed', start: chosen.start },
    { code: 'TOO_SOON', problem: 'notice', tutorName, start: chosen.start, noticeMinutes: 12 * 60, earliestStart: chosen.start + 3 * HOUR_MS },
  ],
  TOO_FAR: [{ code: 'TOO_FAR', tutorName, start: chosen.start, horizonDays: 30, latestStart: chosen.start - 2 * 24 * HOUR_MS }],
  OUTSIDE_AVAILABILITY: [
    {
      code: 'OUTSIDE_AVAILABILITY',
      problem: 'weekly_hours',
      tutorName,
      session: chosen,
      hours: { day: span('2026-12-09T00:00', '2026-12-10T00:00'), weekday: 'Wednesday', windows: [span('2026-12-09T09:00', '2026-12-09T11:00'), span('2026-12-09T14:00', '2026-12-09T17:00')] },
    },
    { code: 'OUTSIDE_AVAILABILITY', problem: 'weekly_hours', tutorName, session: chosen, hours: { day: span('2026-12-09T00:00', '2026-12-10T00:00'), weekday: 'Wednesday', windows: [] } },
    { code: 'OUTSIDE_AVAILABILITY', problem: 'time_off', tutorName, session: chosen, timeOff: span('2026-12-09T08:00', '2026-12-09T12:00') },
  ],
  SLOT_UNAVAILABLE: [
    { code: 'SLOT_UNAVAILABLE', tutorName, session: chosen, other: theirSession, bufferBeforeMinutes: 10, bufferAfterMinutes: 5 },
    { code: 'SLOT_UNAVAILABLE', tutorName, session: chosen },
  ],
  STUDENT_BUSY: [
    { code: 'STUDENT_BUSY', session: chosen, other: theirSession },
    { code: 'STUDENT_BUSY', session: chosen },
  ],
  CANCELLATION_CUTOFF_PASSED: [
    { code: 'CANCELLATION_CUTOFF_PASSED', action: 'cancel', start: chosen.start, now: chosen.start - 5 * HOUR_MS, cutoffHours: 24 },
    { code: 'CANCELLATION_CUTOFF_PASSED', action: 'change', start: chosen.start, now: chosen.start + HOUR_MS, cutoffHours: 24 },
  ],
  TUTOR_INACTIVE: [{ code: 'TUTOR_INACTIVE', tutorName }],
} satisfies { [C in RefusalCode]: Extract<RefusalFacts, { code: C }>[] }

const allExamples: RefusalFacts[] = Object.values(examples).flat() as RefusalFacts[]
/** Whether the message is about a moment in time (and so must name a zone). */
const mentionsTime = (message: string) => /\d\d:\d\d/.test(message)

describe('refusal messages', () => {
  it.each(allExamples.map((facts) => [facts.code, facts] as const))('%s: a student reads about themself in their own zone only', (_code, facts) => {
    const message = refusalMessage(facts, student)
    expect(message).not.toMatch(/\bthe student\b/i)
    expect(message).not.toContain(PARIS)
    if (mentionsTime(message)) {
      // Every bracket right after a time names the student's zone.
      const zoneLabels = message.match(/\d\d:\d\d(:\d\d)? \([^()]*\)/g) ?? []
      expect(zoneLabels.length).toBeGreaterThan(0)
      for (const label of zoneLabels) expect(label).toMatch(/ \(your time, Australia\/Sydney\)$/)
    }
  })

  it.each(allExamples.map((facts) => [facts.code, facts] as const))('%s: staff read both zones and never "you" for the student', (_code, facts) => {
    const message = refusalMessage(facts, staff)
    expect(message).not.toMatch(/\byou (already|chose)\b|\byour time\b|\byours\b/i)
    if (mentionsTime(message)) {
      expect(message).toContain(`(tutor's time, ${PARIS})`)
      // The tutor's weekly hours are the tutor's; the session itself is also shown in the student's zone.
      expect(message).toContain(`(student's time, ${SYDNEY})`)
    }
  })

  it('answers the report: "You already have a session …" in Sydney time, naming the zone', () => {
    expect(refusalMessage({ code: 'STUDENT_BUSY', session: chosen, other: theirSession }, student)).toBe(
      'You already have a session Wed 9 Dec 2026 21:10–22:10 (your time, Australia/Sydney), which overlaps the one you chose, Wed 9 Dec 2026 21:30–22:30 (your time, Australia/Sydney). Cancel that one first or choose another time.',
    )
    expect(refusalMessage({ code: 'STUDENT_BUSY', session: chosen, other: theirSession }, staff)).toBe(
      "The student already has a session Wed 9 Dec 2026 11:10–12:10 (tutor's time, Europe/Paris) / Wed 9 Dec 2026 21:10–22:10 (student's time, Australia/Sydney), which overlaps Wed 9 Dec 2026 11:30–12:30 (tutor's time, Europe/Paris) / Wed 9 Dec 2026 21:30–22:30 (student's time, Australia/Sydney). Cancel that one first or choose another time.",
    )
  })

  it('names the nearest offered starts in the student’s zone, with the date once when they share it', () => {
    const [twoNear, oneNear, noneNear] = examples.NOT_AN_OFFERED_START
    expect(refusalMessage(twoNear, student)).toBe(
      'Marie Curie offers start times every 30 minutes, and Wed 9 Dec 2026 21:10 (your time, Australia/Sydney) is not one of them. The nearest free starts are Wed 9 Dec 2026 21:00 or 21:30 (your time, Australia/Sydney).',
    )
    expect(refusalMessage(oneNear, student)).toMatch(/The nearest free start is Thu 10 Dec 2026 00:00 \(your time, Australia\/Sydney\)\.$/)
    expect(refusalMessage(noneNear, student)).toMatch(/No start within a day of it is free; choose another day\.$/)
  })

  it('gives a student the tutor’s hours of that day in the student’s own times', () => {
    const [withHours, noHours] = examples.OUTSIDE_AVAILABILITY
    expect(refusalMessage(withHours, student)).toBe(
      'Marie Curie is not available for all of the time you chose, Wed 9 Dec 2026 21:30–22:30 (your time, Australia/Sydney); their hours that day are Wed 9 Dec 2026 19:00–21:00, Thu 10 Dec 2026 00:00–03:00 (your time, Australia/Sydney).',
    )
    expect(refusalMessage(noHours, student)).toMatch(
      /they take no sessions from Wed 9 Dec 2026 10:00 \(your time, Australia\/Sydney\) to Thu 10 Dec 2026 10:00 \(your time, Australia\/Sydney\)\.$/,
    )
    // In the tutor's own zone the weekday is the same for both, so it can be named.
    expect(refusalMessage(noHours, { ...student, studentTimeZone: PARIS })).toMatch(/they take no sessions on Wednesdays\.$/)
  })

  it('tells the student about the cancellation cut-off and the start in their zone', () => {
    const [inside, started] = examples.CANCELLATION_CUTOFF_PASSED
    expect(refusalMessage(inside, student)).toBe(
      'You can cancel a session up to 24 hours before it starts, and yours starts in 5 hours, at Wed 9 Dec 2026 21:30 (your time, Australia/Sydney). Please contact your tutor.',
    )
    expect(refusalMessage(started, student)).toBe('Your session started at Wed 9 Dec 2026 21:30 (your time, Australia/Sydney), so it can no longer be changed.')
  })

  it('names one zone for staff when tutor and student share it', () => {
    const sameZone: Reader = { role: 'staff', studentTimeZone: PARIS, tutorTimeZone: PARIS }
    expect(refusalMessage({ code: 'TOO_SOON', problem: 'passed', start: chosen.start }, sameZone)).toBe(
      "This session would start at Wed 9 Dec 2026 11:30 (Europe/Paris, tutor's and student's time), which has already passed.",
    )
  })
})

describe('checkBooking speaks to its audience', () => {
  const tutor: TutorSchedule = {
    name: tutorName,
    timeZone: PARIS,
    weeklyRules: [{ day: 'wed', start: '09:00', end: '17:00' }],
    timeOff: [],
    policy: resolveBookingPolicy({ minimumNoticeHours: 0, bookingHorizonDays: 60 }),
    sessionLengths: [60],
  }
  const input = {
    tutor,
    busyTutor: [],
    busyStudent: [theirSession],
    start: chosen.start,
    durationMinutes: 60,
    now: paris('2026-12-06T08:00'),
    enforceWeeklyRules: true,
  }

  it('a Sydney student gets "You …" in Sydney time; staff get "The student …" in both zones', () => {
    const forStudent = checkBooking({ ...input, audience: { role: 'student', studentTimeZone: SYDNEY } })
    expect(forStudent).toMatchObject({ ok: false, code: 'STUDENT_BUSY' })
    expect(!forStudent.ok && forStudent.message).toBe(refusalMessage({ code: 'STUDENT_BUSY', session: chosen, other: theirSession }, student))
    const forStaff = checkBooking({ ...input, enforceWeeklyRules: false, audience: { role: 'staff', studentTimeZone: SYDNEY } })
    expect(!forStaff.ok && forStaff.message).toBe(refusalMessage({ code: 'STUDENT_BUSY', session: chosen, other: theirSession }, staff))
  })
})
