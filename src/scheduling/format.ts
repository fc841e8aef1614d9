/**
 * Times in refusal messages and slot labels, always with the zone named so a reader in another zone is not
 * misled. Formatting runs once per offered slot, so it uses one cached Intl.DateTimeFormat per zone: building
 * a zoned Luxon DateTime per label cost about 0.2 ms, most of a slot search (format.test.ts checks that the
 * output equals Luxon's `ccc d LLL yyyy` / `HH:mm`).
 */
import { DateTime } from 'luxon'

import { HOUR_MS, MINUTE_MS } from './intervals'

// A fixed locale keeps messages identical on every replica, whatever the server's own locale is.
const MESSAGE_LOCALE = 'en-GB'
const MAX_CACHED_ZONES = 1_000

type LocalParts = { date: string; time: string; dayKey: string }

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(MESSAGE_LOCALE, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear()
    formatters.set(timeZone, formatter)
  }
  return formatter
}

function localParts(instant: number, timeZone: string): LocalParts {
  const parts: Record<string, string> = {}
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value
  const hour = parts.hour === '24' ? '00' : parts.hour.padStart(2, '0')
  return {
    date: `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`,
    time: `${hour}:${parts.minute.padStart(2, '0')}`,
    dayKey: `${parts.year}-${parts.month}-${parts.day}`,
  }
}

/** "Mon 9 Mar 2026" */
export function formatLocalDate(instant: number, timeZone: string): string {
  return localParts(instant, timeZone).date
}

/** "08:00" */
export function formatLocalTime(instant: number, timeZone: string): string {
  return localParts(instant, timeZone).time
}

/** "10:03:20", or "10:03:20.250" with milliseconds: for a start that is off the minute, where HH:mm would hide why. */
export function formatLocalWallTime(instant: number, timeZone: string): string {
  return DateTime.fromMillis(instant, { zone: timeZone }).toFormat(instant % 1000 === 0 ? 'HH:mm:ss' : 'HH:mm:ss.SSS')
}

/**
 * "Mon 9 Mar 2026 08:00 (Europe/London)". `zoneLabel` replaces what is in the brackets (it should still name
 * the zone), e.g. "your time, Australia/Sydney".
 */
export function formatLocalDateTime(instant: number, timeZone: string, zoneLabel = timeZone): string {
  const local = localParts(instant, timeZone)
  return `${local.date} ${local.time} (${zoneLabel})`
}

/**
 * "Mon 9 Mar 2026 10:00–11:00 (Europe/London)", or with both dates when the range crosses a local midnight.
 * An end exactly at the following midnight reads "24:00", matching how weekly hours are entered.
 */
export function formatLocalRange(start: number, end: number, timeZone: string, zoneLabel = timeZone): string {
  return `${formatLocalRangeUnlabelled(start, end, timeZone)} (${zoneLabel})`
}

/** formatLocalRange without the zone, for lists of ranges that share one label. */
export function formatLocalRangeUnlabelled(start: number, end: number, timeZone: string): string {
  const startLocal = localParts(start, timeZone)
  const endLocal = localParts(end, timeZone)
  if (startLocal.dayKey === endLocal.dayKey) {
    return `${startLocal.date} ${startLocal.time}–${endLocal.time}`
  }
  // Ends at midnight and its last instant is still on the start's day: the range fills that day to its end.
  if (endLocal.time === '00:00' && end > start && localParts(end - 1, timeZone).dayKey === startLocal.dayKey) {
    return `${startLocal.date} ${startLocal.time}–24:00`
  }
  return `${startLocal.date} ${startLocal.time} – ${endLocal.date} ${endLocal.time}`
}

/** "5 hours 30 minutes", "45 minutes", "1 hour"; rounded down to whole minutes. */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.max(0, Math.floor(ms / MINUTE_MS))
  const hours = Math.floor((totalMinutes * MINUTE_MS) / HOUR_MS)
  const minutes = totalMinutes - hours * 60
  const parts: string[] = []
  if (hours > 0) parts.push(`${hours} ${hours === 1 ? 'hour' : 'hours'}`)
  if (minutes > 0 || hours === 0) parts.push(`${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`)
  return parts.join(' ')
}

/** "24 hours", "1.5 hours" */
export function formatHours(hours: number): string {
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`
}
