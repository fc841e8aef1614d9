/**
 * When a tutor can be booked: weekly windows, open slots and the booking check.
 *
 * openSlots and checkBooking apply the same rules (they are property-tested against each other), and both
 * take the tutor-conflict rule from tutorBlockedInterval, which is also what the granule claims use.
 */
import { DateTime } from 'luxon'

import { isGranuleAligned, tutorBlockedInterval, tutorBookingsConflict } from './claims'
import { formatDuration, formatHours, formatLocalDate, formatLocalDateTime, formatLocalRange, formatLocalTime } from './format'
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  type Interval,
  containsInterval,
  findOverlap,
  normalizeIntervals,
  overlaps,
  subtractIntervals,
  widen,
} from './intervals'
import {
  assertTimeZone,
  firstGridWallAtOrAfter,
  isoWeekdayOfWall,
  nextGridWall,
  type OffsetSegment,
  offsetSegments,
  startOfWallDay,
} from './localTime'
import { GRANULE_MINUTES, MAX_SESSION_MINUTES, type BookingPolicy, bookingPolicyProblems, isPositiveGranuleMultiple } from './policy'
import { type WeeklyRule, isLocalTime, isoWeekdayOf, minutesOfDay } from './weeklyRules'

/** What the scheduler needs to know about a tutor; build it from the tutor document. */
export type TutorSchedule = {
  /** Used in messages; "This tutor" when absent. */
  name?: string
  timeZone: string
  weeklyRules: readonly WeeklyRule[]
  timeOff: readonly Interval[]
  policy: BookingPolicy
  /** Offered session lengths in minutes. */
  sessionLengths: readonly number[]
}

export type BookingRefusalCode =
  | 'INVALID_DURATION'
  | 'MISALIGNED_START'
  | 'TOO_SOON'
  | 'TOO_FAR'
  | 'OUTSIDE_AVAILABILITY'
  | 'SLOT_UNAVAILABLE'
  | 'STUDENT_BUSY'

export type BookingCheck = { ok: true; interval: Interval } | { ok: false; code: BookingRefusalCode; message: string }

type ParsedRule = { isoWeekday: number; startMinutes: number; endMinutes: number }

function parseWeeklyRules(rules: readonly WeeklyRule[]): Map<number, ParsedRule[]> {
  const byIsoWeekday = new Map<number, ParsedRule[]>()
  for (const rule of rules) {
    const isoWeekday = isoWeekdayOf(rule.day)
    // Stored rules are validated by the tutor form; anything else here is a bug worth surfacing loudly.
    if (isoWeekday === undefined) throw new RangeError(`Weekly rule has an unknown day "${String(rule.day)}".`)
    if (!isLocalTime(rule.start) || !isLocalTime(rule.end, { allowEndOfDay: true })) {
      throw new RangeError(`Weekly rule ${rule.day} ${String(rule.start)}–${String(rule.end)} must use HH:mm times.`)
    }
    const startMinutes = minutesOfDay(rule.start)
    const endMinutes = minutesOfDay(rule.end)
    if (endMinutes <= startMinutes) throw new RangeError(`Weekly rule ${rule.day} ${rule.start}–${rule.end} must end after it starts.`)
    const forDay = byIsoWeekday.get(isoWeekday) ?? []
    forDay.push({ isoWeekday, startMinutes, endMinutes })
    byIsoWeekday.set(isoWeekday, forDay)
  }
  return byIsoWeekday
}

/**
 * The weekly rules as UTC intervals inside `range`, sorted and merged (adjacent rules, including a
 * Sunday ending 24:00 and a Monday starting 00:00, form one window).
 *
 * A rule covers exactly the instants whose local wall-clock time, on a day with the rule's weekday, lies in
 * [start, end). That is how it behaves across DST changes:
 * - a 09:00–17:00 rule stays 09:00–17:00 local on both sides of a change (so it moves by an hour in UTC);
 * - on a spring-forward day local times in the gap do not exist, so a bound inside the gap moves forward
 *   to the first existing instant: 01:30–03:00 on 2026-03-08 in America/New_York is 30 real minutes,
 *   02:30–04:00 starts at 03:00, and a rule wholly inside the gap (02:00–02:30) is empty that day;
 * - on a fall-back day the repeated hour happens twice and a rule covering it gets both occurrences:
 *   00:00–03:00 on 2026-11-01 in America/New_York is 4 real hours; a rule lying partly inside the
 *   repeated hour (01:00–01:30) gets two separate half-hours.
 * Every local date whose wall-clock day meets the range is visited, which includes the local day
 * before or after the UTC dates for zones far from UTC.
 */
export function weeklyWindows(input: { timeZone: string; weeklyRules: readonly WeeklyRule[]; range: Interval }): Interval[] {
  return windowsInSegments(input.weeklyRules, offsetSegments(input.timeZone, input.range))
}

/** weeklyWindows over the span the segments cover; lets openSlots look the zone's offsets up only once. */
function windowsInSegments(weeklyRules: readonly WeeklyRule[], segments: readonly OffsetSegment[]): Interval[] {
  const rulesByIsoWeekday = parseWeeklyRules(weeklyRules)
  const windows: Interval[] = []
  for (const segment of segments) {
    const segmentWallEnd = segment.end + segment.offsetMs
    for (let dayWall = startOfWallDay(segment.start + segment.offsetMs); dayWall < segmentWallEnd; dayWall += DAY_MS) {
      for (const rule of rulesByIsoWeekday.get(isoWeekdayOfWall(dayWall)) ?? []) {
        const start = Math.max(dayWall + rule.startMinutes * MINUTE_MS - segment.offsetMs, segment.start)
        const end = Math.min(dayWall + rule.endMinutes * MINUTE_MS - segment.offsetMs, segment.end)
        if (start < end) windows.push({ start, end })
      }
    }
  }
  return normalizeIntervals(windows)
}

/**
 * Where a new session may not be, given one of the tutor's appointments. The rule is "the two tutor-blocked
 * intervals do not overlap"; [s - before, s + d + after) overlaps [b.start - before, b.end + after) exactly when
 * [s, s + d) overlaps [b.start - before - after, b.end + after + before), i.e. the appointment's blocked
 * interval widened once more by the other session's buffers. Using this lets openSlots sweep free time
 * instead of testing every slot against every appointment.
 */
function sessionExclusionZone(appointment: Interval, policy: BookingPolicy): Interval {
  return widen(tutorBlockedInterval(appointment, policy), policy.bufferAfterMinutes * MINUTE_MS, policy.bufferBeforeMinutes * MINUTE_MS)
}

/** A hand-built policy could hold a zero slot interval (an endless loop) or buffers off the granule grid. */
function assertUsablePolicy(policy: BookingPolicy): void {
  const problems = bookingPolicyProblems(policy)
  if (problems.length > 0) throw new RangeError(`Invalid booking policy: ${problems.join(' ')}`)
}

function tutorLabel(tutor: TutorSchedule): string {
  return tutor.name?.trim() || 'This tutor'
}

/**
 * Why this duration cannot be booked, or undefined when it can. Session lengths are the tutor's offer and
 * only bind when their weekly rules do; the granule and 8-hour limits always hold because claims rely on them.
 */
export function durationProblem(tutor: TutorSchedule, durationMinutes: number, enforceSessionLengths: boolean): string | undefined {
  if (!isPositiveGranuleMultiple(durationMinutes) || durationMinutes > MAX_SESSION_MINUTES) {
    return `A session must last a multiple of ${GRANULE_MINUTES} minutes, up to ${MAX_SESSION_MINUTES / 60} hours; ${String(durationMinutes)} minutes is not possible.`
  }
  if (enforceSessionLengths && !tutor.sessionLengths.includes(durationMinutes)) {
    const offered = [...new Set(tutor.sessionLengths)].sort((a, b) => a - b).map(String)
    if (offered.length === 0) return `${tutorLabel(tutor)} has not set any session lengths yet, so sessions cannot be booked.`
    const choices = offered.length === 1 ? offered[0] : `${offered.slice(0, -1).join(', ')} or ${offered[offered.length - 1]}`
    return `${tutorLabel(tutor)} offers sessions of ${choices} minutes; ${durationMinutes} minutes is not one of them.`
  }
  return undefined
}

/**
 * Bookable sessions of `durationMinutes` whose start lies in `range`, sorted by start.
 *
 * Starts are on the tutor's local grid: whole multiples of slotIntervalMinutes after local midnight
 * (09:00, 09:30, …), by the wall clock, so on a fall-back day both 01:00s are offered and on a spring-forward
 * day no start falls in the gap. A slot lies wholly inside one availability window, overlaps no time off,
 * keeps the tutor's buffers clear of every busy appointment's buffers, starts no earlier than
 * now + minimum notice and no later than now + booking horizon (inclusive).
 *
 * `busy` is the tutor's active appointments as raw session intervals; buffers are added here.
 * Cost is O((windows + busy + time off) · log) to find free time plus one step per returned slot.
 * Throws a RangeError for a duration the tutor does not offer (see durationProblem).
 */
export function openSlots(input: {
  tutor: TutorSchedule
  busy: readonly Interval[]
  range: Interval
  durationMinutes: number
  now: number
}): Interval[] {
  const { tutor, busy, range, durationMinutes, now } = input
  const { policy } = tutor
  assertTimeZone(tutor.timeZone)
  assertUsablePolicy(policy)
  const problem = durationProblem(tutor, durationMinutes, true)
  if (problem) throw new RangeError(problem)

  const durationMs = durationMinutes * MINUTE_MS
  const earliestStart = Math.max(range.start, now + policy.minimumNoticeMinutes * MINUTE_MS)
  const latestStart = Math.min(range.end - 1, now + policy.bookingHorizonDays * DAY_MS)
  if (earliestStart > latestStart) return []

  // Covers every instant of every possible slot, so it also serves for stepping through start times.
  const segments = offsetSegments(tutor.timeZone, { start: earliestStart, end: latestStart + durationMs })
  const windows = windowsInSegments(tutor.weeklyRules, segments)
  const free = subtractIntervals(windows, [...tutor.timeOff, ...busy.map((appointment) => sessionExclusionZone(appointment, policy))])

  const slots: Interval[] = []
  let firstSegment = 0
  for (const freeInterval of free) {
    const lowestStart = Math.max(freeInterval.start, earliestStart)
    const highestStart = Math.min(freeInterval.end - durationMs, latestStart)
    if (lowestStart > highestStart) continue
    while (segments[firstSegment].end <= lowestStart) firstSegment++
    for (let index = firstSegment; index < segments.length && segments[index].start <= highestStart; index++) {
      const segment = segments[index]
      const from = Math.max(lowestStart, segment.start)
      const to = Math.min(highestStart, segment.end - 1)
      for (
        let wall = firstGridWallAtOrAfter(from + segment.offsetMs, policy.slotIntervalMinutes);
        wall - segment.offsetMs <= to;
        wall = nextGridWall(wall, policy.slotIntervalMinutes)
      ) {
        const start = wall - segment.offsetMs
        // Only a historical offset that is not a multiple of 5 minutes could put a local grid time off the granule grid.
        if (isGranuleAligned(start)) slots.push({ start, end: start + durationMs })
      }
    }
  }
  return slots
}

/**
 * Whether a session may be booked, and if not, why, in words the person booking can act on.
 * Checks run in this order and the first failure is reported: shape (duration, start alignment),
 * notice and horizon, availability (weekly windows when enforced; time off always), the tutor's other
 * sessions with buffers, the student's other sessions without buffers.
 *
 * enforceWeeklyRules: false (staff booking on the tutor's behalf) skips the weekly windows and the offered
 * session lengths, but not time off. enforceNotice (default true) governs both notice and horizon.
 * `busyTutor` / `busyStudent` are raw active appointments and must exclude the one being checked.
 */
export function checkBooking(input: {
  tutor: TutorSchedule
  busyTutor: readonly Interval[]
  busyStudent: readonly Interval[]
  start: number
  durationMinutes: number
  now: number
  enforceWeeklyRules: boolean
  enforceNotice?: boolean
}): BookingCheck {
  const { tutor, start, durationMinutes, now, enforceWeeklyRules } = input
  const { policy, timeZone } = tutor
  const enforceNotice = input.enforceNotice ?? true
  assertTimeZone(timeZone)
  assertUsablePolicy(policy)
  const who = tutorLabel(tutor)

  const durationRefusal = durationProblem(tutor, durationMinutes, enforceWeeklyRules)
  if (durationRefusal) return refuse('INVALID_DURATION', durationRefusal)
  if (!isGranuleAligned(start)) {
    return refuse(
      'MISALIGNED_START',
      Number.isFinite(start)
        ? `Sessions start on a ${GRANULE_MINUTES}-minute mark (such as 10:00 or 10:05); ${DateTime.fromMillis(start, { zone: timeZone }).toFormat('HH:mm:ss.SSS')} (${timeZone}) is not one.`
        : 'The start time is missing or not a valid date-time.',
    )
  }
  const interval: Interval = { start, end: start + durationMinutes * MINUTE_MS }

  if (enforceNotice) {
    const earliestStart = now + policy.minimumNoticeMinutes * MINUTE_MS
    if (start < now) {
      return refuse('TOO_SOON', `This session would start at ${formatLocalDateTime(start, timeZone)}, which has already passed.`)
    }
    if (start < earliestStart) {
      return refuse(
        'TOO_SOON',
        `${who} needs notice of at least ${formatDuration(policy.minimumNoticeMinutes * MINUTE_MS)}: this session starts at ${formatLocalDateTime(start, timeZone)}; choose a start at or after ${formatLocalDateTime(earliestStart, timeZone)}.`,
      )
    }
    const latestStart = now + policy.bookingHorizonDays * DAY_MS
    if (start > latestStart) {
      return refuse(
        'TOO_FAR',
        `${who} takes bookings up to ${policy.bookingHorizonDays} days ahead: this session starts at ${formatLocalDateTime(start, timeZone)}; choose a start at or before ${formatLocalDateTime(latestStart, timeZone)}.`,
      )
    }
  }

  if (enforceWeeklyRules) {
    const windows = weeklyWindows({ timeZone, weeklyRules: tutor.weeklyRules, range: interval })
    if (!(windows.length === 1 && containsInterval(windows[0], interval))) {
      return refuse(
        'OUTSIDE_AVAILABILITY',
        `${who} is not available for all of ${formatLocalRange(interval.start, interval.end, timeZone)}; ${describeHoursThatDay(tutor, start)}`,
      )
    }
  }
  const timeOff = findOverlap(normalizeIntervals(tutor.timeOff), interval)
  if (timeOff) {
    return refuse(
      'OUTSIDE_AVAILABILITY',
      `${who} is away ${formatLocalRange(timeOff.start, timeOff.end, timeZone)}, which overlaps this session (${formatLocalRange(interval.start, interval.end, timeZone)}). Choose another time.`,
    )
  }

  const tutorConflict = input.busyTutor.find((appointment) => tutorBookingsConflict(interval, appointment, policy))
  if (tutorConflict) {
    return refuse(
      'SLOT_UNAVAILABLE',
      `${who} already has a session ${formatLocalRange(tutorConflict.start, tutorConflict.end, timeZone)}${describeBuffers(policy)}, so ${formatLocalRange(interval.start, interval.end, timeZone)} is not free. Choose another time.`,
    )
  }
  const studentConflict = input.busyStudent.find((appointment) => overlaps(interval, appointment))
  if (studentConflict) {
    return refuse(
      'STUDENT_BUSY',
      `The student already has a session ${formatLocalRange(studentConflict.start, studentConflict.end, timeZone)}, which overlaps ${formatLocalRange(interval.start, interval.end, timeZone)}. Cancel that one first or choose another time.`,
    )
  }
  return { ok: true, interval }
}

function refuse(code: BookingRefusalCode, message: string): BookingCheck {
  return { ok: false, code, message }
}

function describeBuffers(policy: BookingPolicy): string {
  const { bufferBeforeMinutes: before, bufferAfterMinutes: after } = policy
  if (before === 0 && after === 0) return ''
  if (before === after) return ` and keeps ${before} minutes free before and after each session`
  return ` and keeps ${before} minutes free before and ${after} minutes after each session`
}

/** "their hours on Mon 9 Mar 2026 are 09:00–12:00, 13:00–17:00 (Europe/London)." — so the reader can pick a time that works. */
function describeHoursThatDay(tutor: TutorSchedule, instant: number): string {
  const day = DateTime.fromMillis(instant, { zone: tutor.timeZone }).startOf('day')
  const nextDay = day.plus({ days: 1 }).startOf('day')
  const windows = weeklyWindows({
    timeZone: tutor.timeZone,
    weeklyRules: tutor.weeklyRules,
    range: { start: day.toMillis(), end: nextDay.toMillis() },
  })
  if (windows.length === 0) return `they take no sessions on ${day.setLocale('en-GB').toFormat('cccc')}s.`
  const hours = windows.map(
    (window) =>
      `${formatLocalTime(window.start, tutor.timeZone)}–${window.end === nextDay.toMillis() ? '24:00' : formatLocalTime(window.end, tutor.timeZone)}`,
  )
  return `their hours on ${formatLocalDate(instant, tutor.timeZone)} are ${hours.join(', ')} (${tutor.timeZone}).`
}

/** Students may cancel until cancellationCutoffHours before the start; after that only staff can. */
export function canStudentCancel(input: { start: number; now: number; policy: BookingPolicy }): { ok: boolean; message: string } {
  const { start, now, policy } = input
  const cutoff = formatHours(policy.cancellationCutoffHours)
  if (now >= start) return { ok: false, message: 'This session has already started, so it can no longer be cancelled.' }
  const deadline = start - policy.cancellationCutoffHours * HOUR_MS
  if (now > deadline) {
    return {
      ok: false,
      message: `Sessions can be cancelled up to ${cutoff} before they start, and this one starts in ${formatDuration(start - now)}. Please contact your tutor.`,
    }
  }
  return { ok: true, message: `You can cancel this session until ${cutoff} before it starts.` }
}
