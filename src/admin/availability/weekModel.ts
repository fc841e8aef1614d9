/**
 * The week grid's view of the `weeklyAvailability` array (plain data, no React, no Payload): rows stay where
 * the form keeps them (their index is their form path); the grid groups them by weekday and plans edits.
 */
import { isLocalTime, minutesOfDay, WEEKDAYS, type Weekday } from '../../scheduling/weeklyRules'

export type RangeRow = { index: number; day: string; start: string; end: string }

export type DayRow = { day: Weekday; label: string; ranges: RangeRow[] }

/** One entry per weekday, Monday first, each with its ranges in start order (unparseable times last). */
export function groupByDay(rows: readonly RangeRow[]): DayRow[] {
  const startKey = (row: RangeRow) => (isLocalTime(row.start) ? minutesOfDay(row.start) : Number.MAX_SAFE_INTEGER)
  return WEEKDAYS.map(({ value, label }) => ({
    day: value,
    label,
    ranges: rows.filter((row) => row.day === value).sort((a, b) => startKey(a) - startKey(b) || a.index - b.index),
  }))
}

const asTime = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

/** A new range for a day: 09:00–17:00 on an empty day, else the hour after its last range (up to 24:00). */
export function nextRange(ranges: readonly RangeRow[]): { start: string; end: string } {
  const ends = ranges.map((range) => range.end).filter((end) => isLocalTime(end, { allowEndOfDay: true })).map(minutesOfDay)
  if (ends.length === 0) return { start: '09:00', end: '17:00' }
  const start = Math.min(Math.max(...ends), 23 * 60)
  return { start: asTime(start), end: asTime(Math.min(start + 60, 24 * 60)) }
}

/**
 * Copying a day replaces the targets' ranges: which row indexes to remove (highest first, so the earlier
 * indexes stay valid while removing) and which ranges to append.
 */
export function planCopy(rows: readonly RangeRow[], from: Weekday, to: readonly Weekday[]): { remove: number[]; add: { day: Weekday; start: string; end: string }[] } {
  const targets = to.filter((day) => day !== from)
  const source = groupByDay(rows).find((entry) => entry.day === from)?.ranges ?? []
  return {
    remove: rows.filter((row) => (targets as readonly string[]).includes(row.day)).map((row) => row.index).sort((a, b) => b - a),
    add: targets.flatMap((day) => source.map((range) => ({ day, start: range.start, end: range.end }))),
  }
}
