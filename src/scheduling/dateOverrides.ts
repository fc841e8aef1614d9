/**
 * Date overrides: for one local date (in the tutor's zone) the tutor's hours are these ranges instead of that
 * weekday's weekly rules. No ranges means the tutor is unavailable that whole day.
 */
import { DateTime } from 'luxon'

import { isLocalTime, minutesOfDay } from './weeklyRules'

export type LocalTimeRange = { start: string; end: string }

/** `date` is "YYYY-MM-DD" in the tutor's time zone. */
export type DateOverride = { date: string; ranges: readonly LocalTimeRange[] }

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A real calendar date written "YYYY-MM-DD" (2026-02-30 is not). */
export function isLocalDate(value: unknown): value is string {
  return typeof value === 'string' && LOCAL_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid
}

/** Why a set of ranges for one day is not usable, or undefined: the same rules as weekly hours, and no overlaps. */
export function rangesProblem(ranges: readonly { start?: unknown; end?: unknown }[]): string | undefined {
  const parsed: { start: number; end: number }[] = []
  for (const range of ranges) {
    if (!isLocalTime(range.start)) return 'Use 24-hour HH:mm for a start, e.g. 09:00.'
    if (!isLocalTime(range.end, { allowEndOfDay: true })) return 'Use 24-hour HH:mm for an end, e.g. 17:00 (24:00 for midnight).'
    const start = minutesOfDay(range.start)
    const end = minutesOfDay(range.end)
    if (end <= start) return `${range.start}–${range.end}: end must be after start.`
    parsed.push({ start, end })
  }
  parsed.sort((a, b) => a.start - b.start)
  for (let index = 1; index < parsed.length; index++) {
    if (parsed[index].start < parsed[index - 1].end) return 'The ranges of one day must not overlap.'
  }
  return undefined
}

export type ParsedOverrides = Map<string, { startMinutes: number; endMinutes: number }[]>

/** Overrides by local date; a date given twice uses its last entry (the form refuses duplicates). */
export function parseDateOverrides(overrides: readonly DateOverride[] = []): ParsedOverrides {
  const byDate: ParsedOverrides = new Map()
  for (const override of overrides) {
    // Stored overrides are validated by the tutor form; anything else here is a bug worth surfacing loudly.
    if (!isLocalDate(override.date)) throw new RangeError(`Date override has an invalid date "${String(override.date)}".`)
    const problem = rangesProblem(override.ranges)
    if (problem) throw new RangeError(`Date override ${override.date}: ${problem}`)
    byDate.set(
      override.date,
      override.ranges.map((range) => ({ startMinutes: minutesOfDay(range.start), endMinutes: minutesOfDay(range.end) })),
    )
  }
  return byDate
}

/** Which dates appear more than once (a form should refuse them). */
export function duplicateDates(overrides: readonly { date?: unknown }[]): string[] {
  const seen = new Set<string>()
  const duplicates = new Set<string>()
  for (const { date } of overrides) {
    if (typeof date !== 'string') continue
    if (seen.has(date)) duplicates.add(date)
    seen.add(date)
  }
  return [...duplicates]
}
