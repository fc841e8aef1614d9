/** Times in refusal messages, always with the zone named so a reader in another zone is not misled. */
import { DateTime } from 'luxon'

import { HOUR_MS, MINUTE_MS } from './intervals'

// A fixed locale keeps messages identical on every replica, whatever the server's own locale is.
const MESSAGE_LOCALE = 'en-GB'

function local(instant: number, timeZone: string): DateTime {
  return DateTime.fromMillis(instant, { zone: timeZone, locale: MESSAGE_LOCALE })
}

/** "Mon 9 Mar 2026" */
export function formatLocalDate(instant: number, timeZone: string): string {
  return local(instant, timeZone).toFormat('ccc d LLL yyyy')
}

/** "08:00" */
export function formatLocalTime(instant: number, timeZone: string): string {
  return local(instant, timeZone).toFormat('HH:mm')
}

/** "Mon 9 Mar 2026 08:00 (Europe/London)" */
export function formatLocalDateTime(instant: number, timeZone: string): string {
  return `${formatLocalDate(instant, timeZone)} ${formatLocalTime(instant, timeZone)} (${timeZone})`
}

/**
 * "Mon 9 Mar 2026 10:00–11:00 (Europe/London)", or with both dates when the range crosses a local midnight.
 * An end exactly at the following midnight reads "24:00", matching how weekly hours are entered.
 */
export function formatLocalRange(start: number, end: number, timeZone: string): string {
  const startLocal = local(start, timeZone)
  const endLocal = local(end, timeZone)
  if (startLocal.hasSame(endLocal, 'day')) {
    return `${formatLocalDate(start, timeZone)} ${startLocal.toFormat('HH:mm')}–${endLocal.toFormat('HH:mm')} (${timeZone})`
  }
  if (endLocal.equals(startLocal.plus({ days: 1 }).startOf('day'))) {
    return `${formatLocalDate(start, timeZone)} ${startLocal.toFormat('HH:mm')}–24:00 (${timeZone})`
  }
  return `${formatLocalDate(start, timeZone)} ${startLocal.toFormat('HH:mm')} – ${formatLocalDate(end, timeZone)} ${endLocal.toFormat('HH:mm')} (${timeZone})`
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
