/** Weekly availability rules: a weekday plus local start/end times in the tutor's time zone. */

export const WEEKDAYS = [
  { value: 'mon', label: 'Monday', isoWeekday: 1 },
  { value: 'tue', label: 'Tuesday', isoWeekday: 2 },
  { value: 'wed', label: 'Wednesday', isoWeekday: 3 },
  { value: 'thu', label: 'Thursday', isoWeekday: 4 },
  { value: 'fri', label: 'Friday', isoWeekday: 5 },
  { value: 'sat', label: 'Saturday', isoWeekday: 6 },
  { value: 'sun', label: 'Sunday', isoWeekday: 7 },
] as const

export type Weekday = (typeof WEEKDAYS)[number]['value']

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/

/** "HH:mm" on a 24-hour clock; "24:00" is accepted only as an end of day. */
export function isLocalTime(value: unknown, options: { allowEndOfDay?: boolean } = {}): value is string {
  if (typeof value !== 'string') return false
  if (options.allowEndOfDay && value === '24:00') return true
  return LOCAL_TIME.test(value)
}

/** Minutes after local midnight for "HH:mm" ("24:00" → 1440). */
export function minutesOfDay(value: string): number {
  const [hours, minutes] = value.split(':').map(Number)
  return hours * 60 + minutes
}

/** One bookable range: on `day`, from `start` to `end` in the tutor's local time ("24:00" = end of day). */
export type WeeklyRule = { day: Weekday; start: string; end: string }

/** ISO weekday number (1 = Monday) for a weekday value, or undefined for anything else. */
export function isoWeekdayOf(day: unknown): number | undefined {
  return WEEKDAYS.find((weekday) => weekday.value === day)?.isoWeekday
}
