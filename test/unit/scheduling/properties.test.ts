/**
 * Property-based tests for the scheduler. The oracles use Luxon's own instant → local-time conversion
 * (DateTime.fromMillis) rather than the scheduler's code, so they check the DST semantics independently.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { DateTime, Settings } from 'luxon'

import { checkBooking, isOfferedStartTime, openSlots, type TutorSchedule, weeklyWindows } from '../../../src/scheduling/availability'
import { GRANULE_MS } from '../../../src/scheduling/claims'
import { DAY_MS, HOUR_MS, type Interval, MINUTE_MS, overlaps } from '../../../src/scheduling/intervals'
import { type BookingPolicy, DEFAULT_BOOKING_POLICY } from '../../../src/scheduling/policy'
import { WEEKDAYS, type WeeklyRule, isoWeekdayOf, minutesOfDay } from '../../../src/scheduling/weeklyRules'

/** Zones with DST in either hemisphere, 30-minute DST (Lord Howe), midnight changes (Santiago), odd offsets. */
const ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'America/St_Johns',
  'America/Santiago',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
] as const

/** Days with 2026 offset changes in the zones above, plus an ordinary one. */
const ANCHORS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-06-15', '2026-09-06', '2026-09-27', '2026-10-04', '2026-10-25', '2026-11-01'].map(
  (date) => DateTime.fromISO(date, { zone: 'utc' }).toMillis(),
)

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

/** Mostly on the 5-minute grid, sometimes at odd minutes such as 09:07, which rules may use. */
const ruleMinute = fc.oneof(fc.integer({ min: 0, max: 287 }).map((step) => step * 5), fc.integer({ min: 0, max: 1439 }))

const weeklyRule: fc.Arbitrary<WeeklyRule> = fc
  .tuple(fc.constantFrom(...WEEKDAYS.map((day) => day.value)), ruleMinute, fc.integer({ min: 1, max: 1440 }))
  .map(([day, start, length]) => ({ day, start: hhmm(start), end: hhmm(Math.min(1440, start + length)) }))

const weeklyRules = fc.array(weeklyRule, { maxLength: 8 })

/** A range of up to two days starting within two days of an anchor, at an arbitrary millisecond. */
const range: fc.Arbitrary<Interval> = fc
  .tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -2 * DAY_MS, max: 2 * DAY_MS }), fc.integer({ min: 0, max: 2 * DAY_MS }))
  .map(([anchor, shift, length]) => ({ start: anchor + shift, end: anchor + shift + length }))

const policy: fc.Arbitrary<BookingPolicy> = fc.record({
  slotIntervalMinutes: fc.constantFrom(5, 10, 15, 20, 25, 30, 45, 50, 60, 90, 120),
  minimumNoticeMinutes: fc.integer({ min: 0, max: 48 * 60 }),
  bookingHorizonDays: fc.integer({ min: 1, max: 4 }),
  bufferBeforeMinutes: fc.integer({ min: 0, max: 6 }).map((granules) => granules * 5),
  bufferAfterMinutes: fc.integer({ min: 0, max: 6 }).map((granules) => granules * 5),
  cancellationCutoffHours: fc.constant(DEFAULT_BOOKING_POLICY.cancellationCutoffHours),
})

type Scenario = {
  tutor: TutorSchedule
  busy: Interval[]
  range: Interval
  durationMinutes: number
  now: number
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weeklyRules,
    range,
    policy,
    sessionLengths: fc.subarray([15, 20, 30, 45, 60, 90], { minLength: 1 }),
  })
  .chain(({ timeZone, weeklyRules: rules, range: scenarioRange, policy: scenarioPolicy, sessionLengths }) => {
    const nearRange = (maxLength: number) =>
      fc
        .tuple(fc.integer({ min: -DAY_MS, max: 3 * DAY_MS }), fc.integer({ min: 0, max: maxLength }))
        .map(([offset, length]): Interval => ({ start: scenarioRange.start + offset, end: scenarioRange.start + offset + length }))
    // Appointments are always on the granule grid; time off and `now` can be any millisecond.
    const appointment = fc
      .tuple(fc.integer({ min: -12 * 24, max: 3 * 12 * 24 }), fc.integer({ min: 1, max: 48 }))
      .map(([startGranules, lengthGranules]): Interval => {
        const start = Math.floor(scenarioRange.start / GRANULE_MS) * GRANULE_MS + startGranules * GRANULE_MS
        return { start, end: start + lengthGranules * GRANULE_MS }
      })
    return fc.record({
      tutor: fc.record({
        name: fc.constant('Ada Lovelace'),
        timeZone: fc.constant(timeZone),
        weeklyRules: fc.constant(rules),
        timeOff: fc.array(nearRange(12 * HOUR_MS), { maxLength: 3 }),
        policy: fc.constant(scenarioPolicy),
        sessionLengths: fc.constant(sessionLengths),
      }),
      busy: fc.array(appointment, { maxLength: 8 }),
      range: fc.constant(scenarioRange),
      durationMinutes: fc.constantFrom(...sessionLengths),
      // Sometimes on the granule grid, so notice and horizon boundaries land exactly on slot starts.
      now: fc.oneof(
        fc.integer({ min: scenarioRange.start - 3 * DAY_MS, max: scenarioRange.start + DAY_MS }),
        fc.integer({ min: -3 * 24 * 12, max: 24 * 12 }).map((granules) => Math.floor(scenarioRange.start / GRANULE_MS) * GRANULE_MS + granules * GRANULE_MS),
      ),
    })
  })

/** Independent oracle: does some weekly rule cover this instant's local wall-clock time? */
function coveredByRules(rules: readonly WeeklyRule[], timeZone: string, instant: number): boolean {
  const local = DateTime.fromMillis(instant, { zone: timeZone })
  const minute = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / MINUTE_MS
  return rules.some(
    (rule) => isoWeekdayOf(rule.day) === local.weekday && minutesOfDay(rule.start) <= minute && minute < minutesOfDay(rule.end),
  )
}

function isOnLocalGrid(instant: number, timeZone: string, stepMinutes: number): boolean {
  const local = DateTime.fromMillis(instant, { zone: timeZone })
  return local.second === 0 && local.millisecond === 0 && (local.hour * 60 + local.minute) % stepMinutes === 0
}

function checkSlot(input: Scenario, start: number) {
  return checkBooking({
    tutor: input.tutor,
    busyTutor: input.busy,
    busyStudent: [],
    start,
    durationMinutes: input.durationMinutes,
    now: input.now,
    enforceWeeklyRules: true,
  })
}

/** Up to `count` items spread evenly through the list, so long lists stay cheap to check minute by minute. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items]
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)])
}

describe('weeklyWindows', () => {
  it('covers exactly the instants whose local wall-clock time some rule covers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        weeklyRules,
        range,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 50 }),
        (timeZone, rules, windowRange, fractions) => {
          const windows = weeklyWindows({ timeZone, weeklyRules: rules, range: windowRange })
          for (let index = 1; index < windows.length; index++) expect(windows[index - 1].end).toBeLessThan(windows[index].start)
          for (const window of windows) {
            expect(window.start).toBeGreaterThanOrEqual(windowRange.start)
            expect(window.end).toBeLessThanOrEqual(windowRange.end)
          }
          const inWindows = (instant: number) => windows.some((window) => window.start <= instant && instant < window.end)
          const samples = [
            ...fractions.map((fraction) => Math.floor(windowRange.start + fraction * (windowRange.end - windowRange.start))),
            ...windows.flatMap((window) => [window.start - 1, window.start, window.end - 1, window.end]),
          ]
          for (let instant = Math.ceil(windowRange.start / MINUTE_MS) * MINUTE_MS; instant < windowRange.end; instant += 17 * MINUTE_MS) {
            samples.push(instant)
          }
          for (const instant of samples) {
            if (instant < windowRange.start || instant >= windowRange.end) continue
            expect([instant, inWindows(instant)]).toEqual([instant, coveredByRules(rules, timeZone, instant)])
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})

describe('openSlots', () => {
  it('returns only slots that respect every rule, and each one passes checkBooking', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { tutor, busy, range: slotRange, durationMinutes, now } = input
        const { policy: slotPolicy, timeZone } = tutor
        const before = slotPolicy.bufferBeforeMinutes * MINUTE_MS
        const after = slotPolicy.bufferAfterMinutes * MINUTE_MS
        const slots = openSlots(input)

        for (let index = 1; index < slots.length; index++) expect(slots[index - 1].start).toBeLessThan(slots[index].start)
        for (const slot of slots) {
          expect(slot.end - slot.start).toBe(durationMinutes * MINUTE_MS)
          expect(slot.start % GRANULE_MS).toBe(0)
          expect(isOnLocalGrid(slot.start, timeZone, slotPolicy.slotIntervalMinutes)).toBe(true)
          expect(slot.start).toBeGreaterThanOrEqual(slotRange.start)
          expect(slot.start).toBeLessThan(slotRange.end)
          // Notice and horizon.
          expect(slot.start).toBeGreaterThanOrEqual(now + slotPolicy.minimumNoticeMinutes * MINUTE_MS)
          expect(slot.start).toBeLessThanOrEqual(now + slotPolicy.bookingHorizonDays * DAY_MS)
          // Buffered slot against every buffered appointment, written out rather than via tutorBlockedInterval.
          for (const appointment of busy) {
            expect(overlaps({ start: slot.start - before, end: slot.end + after }, { start: appointment.start - before, end: appointment.end + after })).toBe(false)
          }
          for (const away of tutor.timeOff) expect(overlaps(slot, away)).toBe(false)
          expect(checkSlot(input, slot.start)).toEqual({ ok: true, interval: slot })
        }
        // Inside the weekly hours at every minute (rules may start at odd minutes, so granules are not enough).
        for (const slot of spread(slots, 12)) {
          for (let instant = slot.start; instant < slot.end; instant += MINUTE_MS) {
            expect([slot.start, instant, coveredByRules(tutor.weeklyRules, timeZone, instant)]).toEqual([slot.start, instant, true])
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it('offers exactly the starts checkBooking accepts for a student: none missed, none off the grid accepted', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { tutor, range: slotRange } = input
        const offered = new Set(openSlots(input).map((slot) => slot.start))
        const onGrid: number[] = []
        const offGrid: number[] = []
        for (let start = Math.ceil(slotRange.start / GRANULE_MS) * GRANULE_MS; start < slotRange.end; start += GRANULE_MS) {
          ;(isOnLocalGrid(start, tutor.timeZone, tutor.policy.slotIntervalMinutes) ? onGrid : offGrid).push(start)
        }
        // Every grid start; off the grid, a spread plus the granules right beside offered starts (each refusal
        // runs a slot search for its nearest starts, so all of them would make this property slow).
        const besideOffered = [...offered].flatMap((start) => [start - GRANULE_MS, start + GRANULE_MS]).filter((start) => offGrid.includes(start))
        for (const start of [...onGrid, ...spread(offGrid, 24), ...spread(besideOffered, 12)]) {
          const verdict = checkSlot(input, start)
          expect([start, offered.has(start)]).toEqual([start, verdict.ok])
          if (offGrid.includes(start)) expect([start, verdict.ok ? 'ok' : verdict.code]).toEqual([start, 'NOT_AN_OFFERED_START'])
        }
      }),
      { numRuns: 100 },
    )
  })

  it('agrees with an independent wall-clock oracle on which instants are offered start times', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(5, 10, 15, 20, 25, 30, 45, 50, 60, 90, 120),
        fc.constantFrom(...ANCHORS),
        fc.integer({ min: -2 * DAY_MS, max: 2 * DAY_MS }),
        fc.boolean(),
        (timeZone, slotIntervalMinutes, anchor, shift, onGranule) => {
          const instant = onGranule ? Math.floor((anchor + shift) / GRANULE_MS) * GRANULE_MS : anchor + shift
          const tutor = { timeZone, policy: { ...DEFAULT_BOOKING_POLICY, slotIntervalMinutes } }
          const expected = instant % GRANULE_MS === 0 && isOnLocalGrid(instant, timeZone, slotIntervalMinutes)
          expect([instant, isOfferedStartTime(tutor, instant)]).toEqual([instant, expected])
        },
      ),
      { numRuns: 3_000 },
    )
  })
})

/**
 * The unit project also runs under several TZ values (Jest gives each test file its own copy of
 * process.env, so TZ cannot be switched from inside a test). What can be switched here is Luxon's default
 * zone, which is where a forgotten `{ zone }` would silently pick up the server's zone.
 */
describe('independence from the process time zone', () => {
  const originalDefaultZone = Settings.defaultZone
  afterAll(() => {
    Settings.defaultZone = originalDefaultZone
  })

  it('gives the same windows, slots and decisions whatever zone Luxon defaults to', () => {
    const inputs = fc.sample(scenario, { numRuns: 40, seed: 20260308 })
    const run = () =>
      inputs.map((input) => ({
        windows: weeklyWindows({ timeZone: input.tutor.timeZone, weeklyRules: input.tutor.weeklyRules, range: input.range }),
        slots: openSlots(input),
        decision: checkSlot(input, Math.ceil(input.range.start / GRANULE_MS) * GRANULE_MS),
      }))
    const results = ['UTC', 'Pacific/Chatham', 'America/Los_Angeles', 'Asia/Kolkata'].map((defaultZone) => {
      Settings.defaultZone = defaultZone
      expect(DateTime.now().zoneName).toBe(defaultZone)
      return run()
    })
    for (const result of results.slice(1)) expect(result).toEqual(results[0])
  })
})
