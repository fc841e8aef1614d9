import { DateTime } from 'luxon'

import { HOUR_MS } from './intervals'
import type { BookingPolicy } from './policy'

/**
 * Calendar days and months as a person in `timeZone` sees them: the booker marks days and lists a day's times
 * in the visitor's zone, while slots are UTC instants. Days are 'YYYY-MM-DD', months 'YYYY-MM'.
 */
export type LocalDay = string
export type LocalMonth = string

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/
const MONTH_PATTERN = /^\d{4}-\d{2}$/

export const localDayOf = (instant: number, timeZone: string): LocalDay => DateTime.fromMillis(instant, { zone: timeZone }).toISODate()!

/**
 * Instants grouped by the local day they fall on in `timeZone`, in order. One zone lookup per day, not per
 * instant: a month of half-hour starts is ~1,500 instants, and a lookup per instant was the tutor page's
 * largest cost. Unsorted input is handled too (a new lookup whenever an instant leaves the current day).
 */
export function groupByLocalDay(instants: readonly number[], timeZone: string): Map<LocalDay, number[]> {
  const days = new Map<LocalDay, number[]>()
  let dayStart = Infinity
  let dayEnd = -Infinity
  let current: number[] = []
  for (const instant of instants) {
    if (instant < dayStart || instant >= dayEnd) {
      const local = DateTime.fromMillis(instant, { zone: timeZone })
      const midnight = local.startOf('day')
      dayStart = midnight.toMillis()
      dayEnd = midnight.plus({ days: 1 }).toMillis()
      const day = local.toISODate()!
      current = days.get(day) ?? []
      days.set(day, current)
    }
    current.push(instant)
  }
  return days
}

export const monthOfDay = (day: LocalDay): LocalMonth => day.slice(0, 7)

/** A 'YYYY-MM-DD' that names a real date, else null (so `?day=2026-02-30` is ignored, not an error). */
export function parseLocalDay(value: unknown): LocalDay | null {
  if (typeof value !== 'string' || !DAY_PATTERN.test(value)) return null
  return DateTime.fromISO(value, { zone: 'UTC' }).isValid ? value : null
}

export function parseLocalMonth(value: unknown): LocalMonth | null {
  if (typeof value !== 'string' || !MONTH_PATTERN.test(value)) return null
  return DateTime.fromISO(`${value}-01`, { zone: 'UTC' }).isValid ? value : null
}

/** The instants a local month covers in `timeZone`: from its first midnight to the next month's. */
export function monthRange(month: LocalMonth, timeZone: string): { start: number; end: number } {
  const first = DateTime.fromISO(`${month}-01`, { zone: timeZone }).startOf('day')
  return { start: first.toMillis(), end: first.plus({ months: 1 }).toMillis() }
}

export function shiftMonth(month: LocalMonth, months: number): LocalMonth {
  return DateTime.fromISO(`${month}-01`, { zone: 'UTC' }).plus({ months }).toFormat('yyyy-MM')
}

/** Splits [start, end) into pieces of at most `maxMs` (the availability search answers a bounded range). */
export function splitRange(start: number, end: number, maxMs: number): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = []
  for (let from = start; from < end; from += maxMs) pieces.push({ start: from, end: Math.min(end, from + maxMs) })
  return pieces
}

/** Until when a student may cancel (or move) a session for free: the tutor's cut-off before its start. */
export const freeCancellationUntil = (start: number, policy: Pick<BookingPolicy, 'cancellationCutoffHours'>): number =>
  start - policy.cancellationCutoffHours * HOUR_MS

/** The `count` instants closest to `target`, in time order (the nearest free times after a slot went). */
export function nearestInstants(instants: number[], target: number, count: number): number[] {
  return [...instants]
    .sort((a, b) => Math.abs(a - target) - Math.abs(b - target) || a - b)
    .slice(0, count)
    .sort((a, b) => a - b)
}

/** Noon of a local day: an instant safely inside it, to print the day's name with (no DST edge near noon). */
export const noonOf = (day: LocalDay, timeZone: string): number => DateTime.fromISO(`${day}T12:00`, { zone: timeZone }).toMillis()
