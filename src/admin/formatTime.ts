import { DateTime } from 'luxon'

/** "Tue 8 Dec, 14:00–15:00 GMT+5:30": a session's time in the viewer's zone, the zone's offset named on the row. */
export function sessionTime(startIso: string, endIso: string, zone: string): string {
  const start = DateTime.fromISO(startIso, { zone })
  const end = DateTime.fromISO(endIso, { zone })
  return `${start.toFormat('ccc d LLL, HH:mm')}–${end.toFormat('HH:mm')} ${start.toFormat('ZZZZ')}`
}

/** "Tue 8 Dec, 14:00 GMT+5:30". */
export function instantTime(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL, HH:mm ZZZZ')
}

/** The zone as the screen names it: "Asia/Kolkata (GMT+5:30)". */
export function zoneName(zone: string, at: Date = new Date()): string {
  return `${zone} (${DateTime.fromJSDate(at, { zone }).toFormat('ZZZZ')})`
}

/** "Fri 11 Dec 2026 14:30 (Europe/Paris)": a stored instant in a list cell or read-only field, its zone named. */
export function namedZoneTime(iso: string | number | Date, zone: string): string {
  const instant = iso instanceof Date ? DateTime.fromJSDate(iso, { zone }) : typeof iso === 'number' ? DateTime.fromMillis(iso, { zone }) : DateTime.fromISO(iso, { zone })
  return instant.isValid ? `${instant.toFormat('ccc d LLL yyyy HH:mm')} (${zone})` : ''
}
