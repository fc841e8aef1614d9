/**
 * When a tutor can be booked: weekly windows, open slots and the booking check.
 *
 * openSlots and checkBooking apply the same rules (they are property-tested against each other): both
 * take start times from forEachGridStart and the tutor-conflict rule from tutorBlockedInterval, which is
 * also what the granule claims use. The wording of every refusal lives in messages.ts.
 */
import { DateTime } from 'luxon'

import { MAX_SESSION_MINUTES, sessionEnd } from './appointment'
import { isGranuleAligned, tutorBlockedInterval, tutorBookingsConflict } from './claims'
import { type Audience, type HoursThatDay, type Reader, type RefusalFacts, canCancelUntilMessage, refusalMessage } from './messages'
import {
  DAY_MS,
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
import { freeCancellationUntil } from './localDays'
import { type BookingPolicy, bookingPolicyProblems, isPositiveGranuleMultiple } from './policy'
import { type WeeklyRule, isLocalTime, isoWeekdayOf, minutesOfDay } from './weeklyRules'
import { type DateOverride, type ParsedOverrides, parseDateOverrides } from './dateOverrides'

/** What the scheduler needs to know about a tutor; build it from the tutor document. */
export type TutorSchedule = {
  /** Used in messages; "This tutor" when absent. */
  name?: string
  timeZone: string
  weeklyRules: readonly WeeklyRule[]
  /** Local dates whose hours replace that weekday's weekly rules (no ranges: closed all day). */
  dateOverrides?: readonly DateOverride[]
  timeOff: readonly Interval[]
  policy: BookingPolicy
  /** Offered session lengths in minutes. */
  sessionLengths: readonly number[]
}

export type BookingRefusalCode =
  | 'INVALID_DURATION'
  | 'MISALIGNED_START'
  | 'NOT_AN_OFFERED_START'
  | 'TOO_SOON'
  | 'TOO_FAR'
  | 'OUTSIDE_AVAILABILITY'
  | 'SLOT_UNAVAILABLE'
  | 'STUDENT_BUSY'

/** A refusal carries its facts too, so a message catalog can word it in the reader's language (src/i18n/apiErrors.ts). */
export type BookingCheck = { ok: true; interval: Interval } | { ok: false; code: BookingRefusalCode; message: string; facts: RefusalFacts }

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
 *
 * A date override for a local date replaces that date's weekly rules (the same DST behaviour applies to its
 * ranges); an override without ranges leaves the date closed.
 */
export function weeklyWindows(input: {
  timeZone: string
  weeklyRules: readonly WeeklyRule[]
  dateOverrides?: readonly DateOverride[]
  range: Interval
}): Interval[] {
  return windowsInSegments(input.weeklyRules, input.dateOverrides, offsetSegments(input.timeZone, input.range))
}

/** The local date ("YYYY-MM-DD") of a wall-clock midnight; wall times are local times written as UTC. */
const localDateOfWall = (dayWall: number): string => new Date(dayWall).toISOString().slice(0, 10)

/** weeklyWindows over the span the segments cover; lets openSlots look the zone's offsets up only once. */
function windowsInSegments(weeklyRules: readonly WeeklyRule[], dateOverrides: readonly DateOverride[] | undefined, segments: readonly OffsetSegment[]): Interval[] {
  const rulesByIsoWeekday = parseWeeklyRules(weeklyRules)
  const overrides: ParsedOverrides = parseDateOverrides(dateOverrides)
  const windows: Interval[] = []
  for (const segment of segments) {
    const segmentWallEnd = segment.end + segment.offsetMs
    for (let dayWall = startOfWallDay(segment.start + segment.offsetMs); dayWall < segmentWallEnd; dayWall += DAY_MS) {
      const ranges = (overrides.size > 0 ? overrides.get(localDateOfWall(dayWall)) : undefined) ?? rulesByIsoWeekday.get(isoWeekdayOfWall(dayWall)) ?? []
      for (const rule of ranges) {
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
 * The words are the same for every reader (no time, no person), so no audience is needed.
 */
export function durationProblem(tutor: TutorSchedule, durationMinutes: number, enforceSessionLengths: boolean): string | undefined {
  const facts = durationRefusal(tutor, durationMinutes, enforceSessionLengths)
  return facts && refusalMessage(facts, { role: 'staff', studentTimeZone: tutor.timeZone, tutorTimeZone: tutor.timeZone })
}

function durationRefusal(tutor: TutorSchedule, durationMinutes: number, enforceSessionLengths: boolean): RefusalFacts | undefined {
  if (!isPositiveGranuleMultiple(durationMinutes) || durationMinutes > MAX_SESSION_MINUTES) {
    return { code: 'INVALID_DURATION', problem: 'granule', minutes: durationMinutes }
  }
  if (enforceSessionLengths && !tutor.sessionLengths.includes(durationMinutes)) {
    const offered = [...new Set(tutor.sessionLengths)].sort((a, b) => a - b)
    return { code: 'INVALID_DURATION', problem: 'not_offered', tutorName: tutorLabel(tutor), minutes: durationMinutes, offered }
  }
  return undefined
}

/**
 * Calls `visit` with every instant in [from, to] (inclusive, both inside `segment`) whose wall-clock time in
 * the segment's offset is on the tutor's grid: a whole number of slotIntervalMinutes after local midnight.
 * This is the one definition of "a start time the tutor offers": the slot search walks it, and
 * isOfferedStartTime asks it about a single instant.
 */
function forEachGridStart(segment: OffsetSegment, from: number, to: number, slotIntervalMinutes: number, visit: (start: number) => void): void {
  for (
    let wall = firstGridWallAtOrAfter(from + segment.offsetMs, slotIntervalMinutes);
    wall - segment.offsetMs <= to;
    wall = nextGridWall(wall, slotIntervalMinutes)
  ) {
    const start = wall - segment.offsetMs
    // Only a historical offset that is not a multiple of 5 minutes could put a local grid time off the granule grid.
    if (isGranuleAligned(start)) visit(start)
  }
}

/**
 * Whether the slot search could ever offer `start` as a start time for this tutor (ignoring whether it is
 * free): granule aligned and on the tutor's local grid, e.g. 10:00 or 10:30 with a 30-minute slot interval.
 */
export function isOfferedStartTime(tutor: Pick<TutorSchedule, 'timeZone' | 'policy'>, start: number): boolean {
  if (!isGranuleAligned(start)) return false
  const [segment] = offsetSegments(tutor.timeZone, { start, end: start + 1 })
  let offered = false
  forEachGridStart(segment, start, start, tutor.policy.slotIntervalMinutes, () => {
    offered = true
  })
  return offered
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
  const windows = windowsInSegments(tutor.weeklyRules, tutor.dateOverrides, segments)
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
      forEachGridStart(segment, from, to, policy.slotIntervalMinutes, (start) => slots.push({ start, end: start + durationMs }))
    }
  }
  return slots
}

/** How far either side of a refused start the nearest offered starts are looked for. */
const NEAREST_START_SEARCH_MS = DAY_MS

/**
 * Whether a session may be booked, and if not, why, in words for the person who asked (see messages.ts):
 * `audience` says whether that is the student or staff, and the student's time zone; it defaults to staff,
 * with the student taken to be in the tutor's zone.
 * Checks run in this order and the first failure is reported: shape (duration, start alignment, an offered
 * start time), notice and horizon, availability (weekly windows when enforced; time off always), the tutor's
 * other sessions with buffers, the student's other sessions without buffers.
 *
 * enforceWeeklyRules: false (staff booking on the tutor's behalf) skips the weekly windows and the offered
 * session lengths, but not time off. enforceNotice (default true) governs both notice and horizon.
 * enforceSlotGrid (default: enforceWeeklyRules) requires a start the slot search offers (isOfferedStartTime);
 * its refusal names the nearest starts the slot search offers around it, which are only exact when
 * `busyTutor` holds the tutor's sessions near the start.
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
  enforceSlotGrid?: boolean
  audience?: Audience
}): BookingCheck {
  const { tutor, start, durationMinutes, now, enforceWeeklyRules } = input
  const { policy, timeZone } = tutor
  const enforceNotice = input.enforceNotice ?? true
  const enforceSlotGrid = input.enforceSlotGrid ?? enforceWeeklyRules
  assertTimeZone(timeZone)
  assertUsablePolicy(policy)
  const reader = readerFor(tutor, input.audience)
  const refuse = (facts: RefusalFacts): BookingCheck => ({ ok: false, code: facts.code as BookingRefusalCode, message: refusalMessage(facts, reader), facts })
  const tutorName = tutorLabel(tutor)

  const badDuration = durationRefusal(tutor, durationMinutes, enforceWeeklyRules)
  if (badDuration) return refuse(badDuration)
  if (!isGranuleAligned(start)) return refuse({ code: 'MISALIGNED_START', start })
  const interval: Interval = { start, end: sessionEnd(start, durationMinutes) }

  if (enforceSlotGrid && !isOfferedStartTime(tutor, start)) {
    return refuse({
      code: 'NOT_AN_OFFERED_START',
      tutorName,
      start,
      slotIntervalMinutes: policy.slotIntervalMinutes,
      nearest: nearestOfferedStarts(tutor, input.busyTutor, start, durationMinutes, now),
    })
  }

  if (enforceNotice) {
    const earliestStart = now + policy.minimumNoticeMinutes * MINUTE_MS
    if (start < now) return refuse({ code: 'TOO_SOON', problem: 'passed', start })
    if (start < earliestStart) {
      return refuse({ code: 'TOO_SOON', problem: 'notice', tutorName, start, noticeMinutes: policy.minimumNoticeMinutes, earliestStart })
    }
    const latestStart = now + policy.bookingHorizonDays * DAY_MS
    if (start > latestStart) {
      return refuse({ code: 'TOO_FAR', tutorName, start, horizonDays: policy.bookingHorizonDays, latestStart })
    }
  }

  if (enforceWeeklyRules) {
    const windows = weeklyWindows({ timeZone, weeklyRules: tutor.weeklyRules, dateOverrides: tutor.dateOverrides, range: interval })
    if (!(windows.length === 1 && containsInterval(windows[0], interval))) {
      return refuse({ code: 'OUTSIDE_AVAILABILITY', problem: 'weekly_hours', tutorName, session: interval, hours: hoursOfLocalDay(tutor, start) })
    }
  }
  const timeOff = findOverlap(normalizeIntervals(tutor.timeOff), interval)
  if (timeOff) return refuse({ code: 'OUTSIDE_AVAILABILITY', problem: 'time_off', tutorName, session: interval, timeOff })

  const tutorConflict = input.busyTutor.find((appointment) => tutorBookingsConflict(interval, appointment, policy))
  if (tutorConflict) {
    return refuse({
      code: 'SLOT_UNAVAILABLE',
      tutorName,
      session: interval,
      other: tutorConflict,
      bufferBeforeMinutes: policy.bufferBeforeMinutes,
      bufferAfterMinutes: policy.bufferAfterMinutes,
    })
  }
  const studentConflict = input.busyStudent.find((appointment) => overlaps(interval, appointment))
  if (studentConflict) return refuse({ code: 'STUDENT_BUSY', session: interval, other: studentConflict })
  return { ok: true, interval }
}

/** The reader of a message about this tutor; staff, with the student in the tutor's zone, unless told. */
export function readerFor(tutor: Pick<TutorSchedule, 'timeZone'>, audience?: Audience): Reader {
  return {
    role: audience?.role ?? 'staff',
    studentTimeZone: audience?.studentTimeZone ?? tutor.timeZone,
    tutorTimeZone: tutor.timeZone,
  }
}

/**
 * The offered start just before and just after `start` (each only if there is one within a day), as the
 * slot search would list them. Empty when the duration is not one the slot search accepts.
 */
function nearestOfferedStarts(tutor: TutorSchedule, busyTutor: readonly Interval[], start: number, durationMinutes: number, now: number): number[] {
  if (durationProblem(tutor, durationMinutes, true)) return []
  const slots = openSlots({
    tutor,
    busy: busyTutor,
    range: { start: start - NEAREST_START_SEARCH_MS, end: start + NEAREST_START_SEARCH_MS },
    durationMinutes,
    now,
  })
  const before = slots.filter((slot) => slot.start < start).at(-1)
  const after = slots.find((slot) => slot.start > start)
  return [before, after].filter((slot): slot is Interval => slot !== undefined).map((slot) => slot.start)
}

/** The tutor's weekly hours on the tutor's local day holding `instant`, for saying when they could be booked. */
function hoursOfLocalDay(tutor: TutorSchedule, instant: number): HoursThatDay {
  const day = DateTime.fromMillis(instant, { zone: tutor.timeZone }).startOf('day')
  const nextDay = day.plus({ days: 1 }).startOf('day')
  const range = { start: day.toMillis(), end: nextDay.toMillis() }
  return {
    day: range,
    weekday: day.setLocale('en-GB').toFormat('cccc'),
    windows: weeklyWindows({ timeZone: tutor.timeZone, weeklyRules: tutor.weeklyRules, dateOverrides: tutor.dateOverrides, range }),
  }
}

/**
 * Students may cancel or change a session until cancellationCutoffHours before the start; after that only staff
 * can. The message speaks to the student, in `studentTimeZone`.
 */
export function canStudentCancel(input: {
  start: number
  now: number
  policy: BookingPolicy
  studentTimeZone: string
  action?: 'cancel' | 'change'
}): { ok: true; message: string } | { ok: false; message: string; facts: RefusalFacts } {
  const { start, now, policy, studentTimeZone } = input
  const cutoffHours = policy.cancellationCutoffHours
  const deadline = freeCancellationUntil(start, policy)
  if (now >= start || now > deadline) {
    const facts: RefusalFacts = { code: 'CANCELLATION_CUTOFF_PASSED', action: input.action ?? 'cancel', start, now, cutoffHours }
    return { ok: false, message: refusalMessage(facts, { role: 'student', studentTimeZone, tutorTimeZone: studentTimeZone }), facts }
  }
  return { ok: true, message: canCancelUntilMessage({ start, cutoffHours, studentTimeZone }) }
}
