/**
 * Every booking refusal's wording, one formatter per code, for the person who reads it.
 *
 * A student is addressed as "you", with every time in their own profile zone and that zone named; staff
 * read about "the student", with times in the tutor's zone and the student's zone side by side. Facts go in
 * (instants, minutes, names); text comes out. Keeping the wording here, apart from the rules, is what lets
 * a message catalog (i18n) take it over later by code.
 */
import {
  formatDuration,
  formatHours,
  formatLocalDate,
  formatLocalDateTime,
  formatLocalRange,
  formatLocalRangeUnlabelled,
  formatLocalTime,
  formatLocalWallTime,
} from './format'
import { HOUR_MS, MINUTE_MS, type Interval } from './intervals'
import { MAX_SESSION_MINUTES } from './appointment'
import { GRANULE_MINUTES } from './policy'

/** Who reads a message: the student themself, or staff acting for them. */
export type Audience = { role: 'student' | 'staff'; studentTimeZone: string }

/** The audience plus the tutor's zone, which staff messages show beside the student's. */
export type Reader = Audience & { tutorTimeZone: string }

/** The tutor's hours on the tutor's local day that holds a refused session. */
export type HoursThatDay = {
  /** That local day, midnight to midnight in the tutor's zone. */
  day: Interval
  /** Its weekday in the tutor's zone, e.g. "Tuesday" (the unit weekly hours are entered in). */
  weekday: string
  windows: Interval[]
}

/** What each refusal is about. Codes without a variable part need no facts. */
export type RefusalFacts =
  | { code: 'INVALID_DURATION'; problem: 'granule'; minutes: number }
  | { code: 'INVALID_DURATION'; problem: 'not_offered'; tutorName: string; minutes: number; offered: readonly number[] }
  | { code: 'MISALIGNED_START'; start: number }
  | { code: 'NOT_AN_OFFERED_START'; tutorName: string; start: number; slotIntervalMinutes: number; nearest: readonly number[] }
  | { code: 'TOO_SOON'; problem: 'passed'; start: number }
  | { code: 'TOO_SOON'; problem: 'notice'; tutorName: string; start: number; noticeMinutes: number; earliestStart: number }
  | { code: 'TOO_FAR'; tutorName: string; start: number; horizonDays: number; latestStart: number }
  | { code: 'OUTSIDE_AVAILABILITY'; problem: 'weekly_hours'; tutorName: string; session: Interval; hours: HoursThatDay }
  | { code: 'OUTSIDE_AVAILABILITY'; problem: 'time_off'; tutorName: string; session: Interval; timeOff: Interval }
  | { code: 'SLOT_UNAVAILABLE'; tutorName: string; session: Interval; other?: Interval; bufferBeforeMinutes?: number; bufferAfterMinutes?: number }
  | { code: 'STUDENT_BUSY'; session: Interval; other?: Interval }
  | { code: 'CANCELLATION_CUTOFF_PASSED'; action: 'cancel' | 'change'; start: number; now: number; cutoffHours: number }
  | { code: 'TUTOR_INACTIVE'; tutorName: string }

export type RefusalCode = RefusalFacts['code']

type FactsOf<C extends RefusalCode> = Extract<RefusalFacts, { code: C }>

const formatters: { [C in RefusalCode]: (facts: FactsOf<C>, reader: Reader) => string } = {
  INVALID_DURATION: (facts) =>
    facts.problem === 'granule'
      ? `A session must last a multiple of ${GRANULE_MINUTES} minutes, up to ${MAX_SESSION_MINUTES / 60} hours; ${String(facts.minutes)} minutes is not possible.`
      : facts.offered.length === 0
        ? `${facts.tutorName} has not set any session lengths yet, so sessions cannot be booked.`
        : `${facts.tutorName} offers sessions of ${orList(facts.offered.map(String))} minutes; ${facts.minutes} minutes is not one of them.`,

  MISALIGNED_START: (facts, reader) =>
    Number.isFinite(facts.start)
      ? `Sessions start on a ${GRANULE_MINUTES}-minute mark (such as 10:00 or 10:05); ${inZones(reader, (zone, label) => `${formatLocalWallTime(facts.start, zone)} (${label})`)} is not one.`
      : 'The start time is missing or not a valid date-time.',

  NOT_AN_OFFERED_START: (facts, reader) => {
    const chosen = at(reader, facts.start)
    const intro =
      reader.role === 'student'
        ? `${facts.tutorName} offers start times every ${facts.slotIntervalMinutes} minutes, and ${chosen} is not one of them.`
        : `${facts.tutorName} offers students start times every ${facts.slotIntervalMinutes} minutes, and ${chosen} is not one of them.`
    if (facts.nearest.length === 0) return `${intro} No start within a day of it is free; choose another day.`
    const nearest = inZones(reader, (zone, label) => `${instantsList(facts.nearest, zone)} (${label})`)
    return `${intro} The nearest free ${facts.nearest.length === 1 ? 'start is' : 'starts are'} ${nearest}.`
  },

  TOO_SOON: (facts, reader) => {
    if (facts.problem === 'passed') {
      return reader.role === 'student'
        ? `The time you chose, ${at(reader, facts.start)}, has already passed.`
        : `This session would start at ${at(reader, facts.start)}, which has already passed.`
    }
    return `${facts.tutorName} needs notice of at least ${formatDuration(facts.noticeMinutes * MINUTE_MS)}: ${chosenStart(reader, facts.start)}; choose a start at or after ${at(reader, facts.earliestStart)}.`
  },

  TOO_FAR: (facts, reader) =>
    `${facts.tutorName} takes bookings up to ${facts.horizonDays} days ahead: ${chosenStart(reader, facts.start)}; choose a start at or before ${at(reader, facts.latestStart)}.`,

  OUTSIDE_AVAILABILITY: (facts, reader) => {
    if (facts.problem === 'time_off') {
      // A tutor's time off is private (staff and the tutor read it): a student learns only that this time is not free.
      if (reader.role === 'student') return `${facts.tutorName} is not available ${during(reader, facts.session)}, the time you chose. Choose another time.`
      return `${facts.tutorName} is away ${during(reader, facts.timeOff)}, which overlaps ${theSession(reader)}, ${during(reader, facts.session)}. Choose another time.`
    }
    return `${facts.tutorName} is not available for all of ${theSession(reader)}, ${during(reader, facts.session)}; ${describeHours(facts.hours, reader)}`
  },

  SLOT_UNAVAILABLE: (facts, reader) => {
    if (!facts.other) return `${during(reader, facts.session)} with ${facts.tutorName} was just taken. Choose another time.`
    const session = reader.role === 'student' ? `the time you chose, ${during(reader, facts.session)},` : during(reader, facts.session)
    return `${facts.tutorName} already has a session ${during(reader, facts.other)}${describeBuffers(facts.bufferBeforeMinutes ?? 0, facts.bufferAfterMinutes ?? 0)}, so ${session} is not free. Choose another time.`
  },

  STUDENT_BUSY: (facts, reader) => {
    const who = reader.role === 'student' ? 'You already have' : 'The student already has'
    if (!facts.other) return `${who} another session at that time (${during(reader, facts.session)}).`
    const overlapped = reader.role === 'student' ? `the one you chose, ${during(reader, facts.session)}` : during(reader, facts.session)
    return `${who} a session ${during(reader, facts.other)}, which overlaps ${overlapped}. Cancel that one first or choose another time.`
  },

  CANCELLATION_CUTOFF_PASSED: (facts, reader) => {
    if (facts.now >= facts.start) {
      return reader.role === 'student'
        ? `Your session started at ${at(reader, facts.start)}, so it can no longer be ${facts.action === 'cancel' ? 'cancelled' : 'changed'}.`
        : `This session started at ${at(reader, facts.start)}, so students can no longer ${facts.action} it.`
    }
    const within = `${formatDuration(facts.start - facts.now)}, at ${at(reader, facts.start)}`
    return reader.role === 'student'
      ? `You can ${facts.action} a session up to ${formatHours(facts.cutoffHours)} before it starts, and yours starts in ${within}. Please contact your tutor.`
      : `Students can ${facts.action} a session up to ${formatHours(facts.cutoffHours)} before it starts, and this one starts in ${within}.`
  },

  TUTOR_INACTIVE: (facts) => `${facts.tutorName} is not taking bookings at the moment.`,
}

/** The refusal's text for this reader. */
export function refusalMessage(facts: RefusalFacts, reader: Reader): string {
  const format = formatters[facts.code] as (facts: RefusalFacts, reader: Reader) => string
  return format(facts, reader)
}

/** Staff booking or moving a session into the past: it can be recorded, but only as past (no booking mail). */
export function sessionInPastMessage(input: { start: number }, reader: Reader): string {
  return `This session would start at ${at(reader, input.start)}, which has already passed, so it cannot be booked. Record a past session as completed or no-show instead (no mail is sent for those).`
}

/** Staff changing a tutor's hours or time off over booked sessions: each session in the tutor's zone, named. */
export function strandedSessionsMessage(input: {
  tutorName: string
  tutorTimeZone: string
  sessions: readonly { start: number; end: number; studentName?: string; cause: 'time_off' | 'weekly_hours' }[]
  choiceLabel: string
}): string {
  const label = `tutor's time, ${input.tutorTimeZone}`
  const lines = input.sessions.map((session) => {
    const when = formatLocalRange(session.start, session.end, input.tutorTimeZone, label)
    const withWhom = session.studentName ? ` with ${session.studentName}` : ''
    return `${when}${withWhom} (${session.cause === 'time_off' ? 'in the new time off' : 'outside the new weekly hours'})`
  })
  const count = lines.length === 1 ? '1 booked session' : `${lines.length} booked sessions`
  return `This change would leave ${count} of ${input.tutorName} stranded: ${lines.join('; ')}. Move or cancel ${lines.length === 1 ? 'it' : 'them'} first, or save again with "${input.choiceLabel}" ticked to cancel ${lines.length === 1 ? 'it' : 'them'} and notify the students and the tutor.`
}

/** The reassurance a student sees while they may still cancel. */
export function canCancelUntilMessage(input: { start: number; cutoffHours: number; studentTimeZone: string }): string {
  const reader: Reader = { role: 'student', studentTimeZone: input.studentTimeZone, tutorTimeZone: input.studentTimeZone }
  return `You can cancel this session until ${at(reader, input.start - input.cutoffHours * HOUR_MS)}, ${formatHours(input.cutoffHours)} before it starts.`
}

/**
 * One time expression per zone the reader should see: the student's zone for a student; for staff the
 * tutor's and the student's, or the shared one named once when they are the same.
 */
function inZones(reader: Reader, render: (timeZone: string, label: string) => string): string {
  if (reader.role === 'student' || reader.tutorTimeZone === reader.studentTimeZone) {
    return render(reader.studentTimeZone, zoneLabel(reader, 'student'))
  }
  return `${render(reader.tutorTimeZone, zoneLabel(reader, 'tutor'))} / ${render(reader.studentTimeZone, zoneLabel(reader, 'student'))}`
}

/** What goes in the brackets after a time: always the zone's name, and whose time it is. */
function zoneLabel(reader: Reader, whose: 'student' | 'tutor'): string {
  if (reader.role === 'student') return `your time, ${reader.studentTimeZone}`
  if (reader.tutorTimeZone === reader.studentTimeZone) return `${reader.tutorTimeZone}, tutor's and student's time`
  return whose === 'tutor' ? `tutor's time, ${reader.tutorTimeZone}` : `student's time, ${reader.studentTimeZone}`
}

/** "Wed 9 Dec 2026 21:10 (your time, Australia/Sydney)" */
function at(reader: Reader, instant: number): string {
  return inZones(reader, (zone, label) => formatLocalDateTime(instant, zone, label))
}

/** "Wed 9 Dec 2026 21:10–22:10 (your time, Australia/Sydney)" */
function during(reader: Reader, interval: Interval): string {
  return inZones(reader, (zone, label) => formatLocalRange(interval.start, interval.end, zone, label))
}

function chosenStart(reader: Reader, start: number): string {
  return reader.role === 'student' ? `you chose ${at(reader, start)}` : `this session starts at ${at(reader, start)}`
}

function theSession(reader: Reader): string {
  return reader.role === 'student' ? 'the time you chose' : 'this session'
}

/** "Wed 9 Dec 2026 21:00 or 21:30", or with both dates when they differ (the zone label is added by the caller). */
function instantsList(instants: readonly number[], timeZone: string): string {
  const firstDate = formatLocalDate(instants[0], timeZone)
  const parts = instants.map((instant, index) => {
    const date = formatLocalDate(instant, timeZone)
    return index > 0 && date === firstDate ? formatLocalTime(instant, timeZone) : `${date} ${formatLocalTime(instant, timeZone)}`
  })
  return orList(parts)
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

function describeBuffers(before: number, after: number): string {
  if (before === 0 && after === 0) return ''
  if (before === after) return ` and keeps ${before} minutes free before and after each session`
  return ` and keeps ${before} minutes free before and ${after} minutes after each session`
}

/**
 * "their hours that day are Mon 15 Jun 2026 09:00–13:00, 14:00–17:00 (your time, Europe/London)." The day is the
 * tutor's local day. A student in another zone gets the hours (or the stretch with none) in their own times;
 * staff think in the tutor's weekly hours, so they get the tutor's zone.
 */
function describeHours(hours: HoursThatDay, reader: Reader): string {
  const [zone, label] = reader.role === 'student' ? [reader.studentTimeZone, zoneLabel(reader, 'student')] : [reader.tutorTimeZone, zoneLabel(reader, 'tutor')]
  if (hours.windows.length === 0) {
    if (zone === reader.tutorTimeZone) return `they take no sessions on ${hours.weekday}s.`
    return `they take no sessions from ${formatLocalDateTime(hours.day.start, zone, label)} to ${formatLocalDateTime(hours.day.end, zone, label)}.`
  }
  return `their hours that day are ${rangesList(hours.windows, zone)} (${label}).`
}

/** "Mon 15 Jun 2026 09:00–13:00, 14:00–17:00": the date once when every range lies on it. */
function rangesList(ranges: readonly Interval[], timeZone: string): string {
  const labels = ranges.map((range) => formatLocalRangeUnlabelled(range.start, range.end, timeZone))
  const datePrefix = `${formatLocalDate(ranges[0].start, timeZone)} `
  const oneDay = labels.every((label) => label.startsWith(datePrefix) && !label.includes(' – '))
  return oneDay ? labels.map((label, index) => (index === 0 ? label : label.slice(datePrefix.length))).join(', ') : labels.join(', ')
}
