/**
 * The value of an `<input type="datetime-local">` read as a wall time in a named zone, and back. The admin's
 * pickers enter times in the tutor's zone (never the browser's), so the conversion names its zone explicitly.
 */
import { DateTime } from 'luxon'

const WALL_INPUT = "yyyy-MM-dd'T'HH:mm"

/** "2026-12-11T14:30" for a stored instant (ISO string or ms) seen in `timeZone`; '' when there is none. */
export function wallInputOf(instant: unknown, timeZone: string): string {
  if (instant === null || instant === undefined || instant === '') return ''
  const local = typeof instant === 'number' ? DateTime.fromMillis(instant, { zone: timeZone }) : DateTime.fromISO(String(instant), { zone: timeZone })
  return local.isValid ? local.toFormat(WALL_INPUT) : ''
}

/**
 * The UTC ISO instant of a wall time in `timeZone`, or undefined when the text is not one. A wall time skipped by
 * a DST jump moves forward by the gap (Luxon's rule), the same as the booking rules read weekly hours.
 */
export function instantOfWallInput(wall: string, timeZone: string): string | undefined {
  const local = DateTime.fromFormat(wall, WALL_INPUT, { zone: timeZone })
  return local.isValid ? (local.toUTC().toISO() ?? undefined) : undefined
}
