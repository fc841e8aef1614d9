/**
 * Mapping between UTC instants and a zone's wall-clock time, with exact DST gap and overlap behaviour.
 *
 * UTC offsets come from Luxon (IANAZone#offset). We do not convert wall times with DateTime.fromObject,
 * because for our purpose its choices are wrong at the edges: a time inside a spring-forward gap is pushed
 * forward by the size of the gap (02:30 → 03:30, so a 02:00–02:30 rule would become 03:00–03:30, a time the
 * tutor never offered), and a repeated fall-back time resolves to only one of its two occurrences.
 * Instead the day is split into stretches of constant offset, and within one stretch wall time and UTC
 * differ by that constant, so each wall time maps to exactly the instants that really show it on the clock.
 */
import { DateTime, IANAZone } from 'luxon'

import { DAY_MS, HOUR_MS, MINUTE_MS, type Interval } from './intervals'
import { isValidTimeZone, timeZoneErrorMessage } from './timeZones'

/** A stretch of time over which the zone's UTC offset does not change. */
export type OffsetSegment = Interval & { offsetMs: number }

/**
 * How far apart the offset is sampled. A zone changing its offset twice within this long would be missed,
 * which tzdb has no case of for present-day dates; changes further apart are found exactly by bisection.
 */
const OFFSET_PROBE_STEP_MS = 6 * HOUR_MS

export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new RangeError(timeZoneErrorMessage(timeZone))
}

/** The constant-offset stretches that exactly cover `range`, in order. */
export function offsetSegments(timeZone: string, range: Interval): OffsetSegment[] {
  assertTimeZone(timeZone)
  if (!(range.end > range.start)) return []
  const zone = IANAZone.create(timeZone)
  const offsetMsAt = (instant: number): number => zone.offset(instant) * MINUTE_MS

  const segments: OffsetSegment[] = []
  let segmentStart = range.start
  let segmentOffset = offsetMsAt(range.start)
  let probe = range.start
  const lastInstant = range.end - 1
  while (probe < lastInstant) {
    const nextProbe = Math.min(probe + OFFSET_PROBE_STEP_MS, lastInstant)
    if (offsetMsAt(nextProbe) === segmentOffset) {
      probe = nextProbe
      continue
    }
    // The offset at `low` is the segment's, at `high` it is not: bisect to the first changed millisecond.
    let low = probe
    let high = nextProbe
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2)
      if (offsetMsAt(middle) === segmentOffset) low = middle
      else high = middle
    }
    segments.push({ start: segmentStart, end: high, offsetMs: segmentOffset })
    segmentStart = high
    segmentOffset = offsetMsAt(high)
    probe = high
  }
  segments.push({ start: segmentStart, end: range.end, offsetMs: segmentOffset })
  return segments
}

/**
 * "Wall milliseconds": a local date and time written as if it were UTC. Whole local days are exactly
 * DAY_MS apart in this scale whatever DST does, which makes per-day arithmetic safe.
 */
export function startOfWallDay(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS) * DAY_MS
}

/** ISO weekday (1 = Monday) of the local date containing `wallMs`. */
export function isoWeekdayOfWall(wallMs: number): number {
  return DateTime.fromMillis(startOfWallDay(wallMs), { zone: 'utc' }).weekday
}

/**
 * The first wall time at or after `wallMs` that is a whole number of `stepMinutes` after its local midnight.
 * The grid restarts at every midnight, so a step that does not divide the day (e.g. 45 does, 50 does not)
 * still gives the same start times every day.
 */
export function firstGridWallAtOrAfter(wallMs: number, stepMinutes: number): number {
  const dayStart = startOfWallDay(wallMs)
  const stepMs = stepMinutes * MINUTE_MS
  const candidate = dayStart + Math.ceil((wallMs - dayStart) / stepMs) * stepMs
  return candidate < dayStart + DAY_MS ? candidate : dayStart + DAY_MS
}

export function nextGridWall(gridWallMs: number, stepMinutes: number): number {
  const dayStart = startOfWallDay(gridWallMs)
  const candidate = gridWallMs + stepMinutes * MINUTE_MS
  return candidate < dayStart + DAY_MS ? candidate : dayStart + DAY_MS
}
