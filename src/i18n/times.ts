import { formatDuration, formatLocalDate, formatLocalDateTime, formatLocalRangeUnlabelled, formatLocalTime } from '../scheduling/format'

/**
 * Times in mails and API messages, in a language: English keeps the wording of src/scheduling/format.ts
 * ("Wed 9 Dec 2026 11:10"), every other language gets Intl's own order and names. The zone label is the
 * catalog's to add ("{when} ({zone})").
 */
const OPTIONS: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`
  let found = formatters.get(key)
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...OPTIONS, timeZone })
    if (formatters.size > 500) formatters.clear()
    formatters.set(key, found)
  }
  return found
}

const english = (locale: string) => locale === 'en' || locale.startsWith('en-')

/** "Wed 9 Dec 2026 11:10" / "mié, 9 dic 2026, 11:10" */
export function dateTimeIn(locale: string, instant: number, timeZone: string): string {
  if (english(locale)) return formatLocalDateTime(instant, timeZone, '').replace(/ \(\)$/, '')
  return formatter(locale, timeZone).format(instant)
}

/** "Wed 9 Dec 2026 11:10–12:10" / "mié, 9 dic 2026, 11:10–12:10" */
export function rangeIn(locale: string, start: number, end: number, timeZone: string): string {
  if (english(locale)) return formatLocalRangeUnlabelled(start, end, timeZone)
  return formatter(locale, timeZone).formatRange(start, end)
}

/** "1 hour 30 minutes" / "1 h y 30 min" */
export function durationIn(locale: string, ms: number): string {
  if (english(locale)) return formatDuration(ms)
  const totalMinutes = Math.max(0, Math.floor(ms / 60_000))
  const hours = Math.floor(totalMinutes / 60)
  const minutes = totalMinutes % 60
  const unit = (value: number, name: 'hour' | 'minute') => new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value)
  const parts = [hours > 0 ? unit(hours, 'hour') : '', minutes > 0 || hours === 0 ? unit(minutes, 'minute') : ''].filter(Boolean)
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(parts)
}

/**
 * "Wed 9 Dec 2026 21:00 or 21:30": several instants, the date written once while they share it (the zone label
 * is the caller's).
 */
export function instantsListIn(locale: string, instants: readonly number[], timeZone: string): string {
  const date = (instant: number) => (english(locale) ? formatLocalDate(instant, timeZone) : new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(instant))
  const time = (instant: number) => (english(locale) ? formatLocalTime(instant, timeZone) : new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant))
  const firstDate = instants.length ? date(instants[0]) : ''
  return orListIn(
    locale,
    instants.map((instant, index) => (index > 0 && date(instant) === firstDate ? time(instant) : english(locale) ? `${date(instant)} ${time(instant)}` : dateTimeIn(locale, instant, timeZone))),
  )
}

/** "30, 60 or 90" / "30, 60 o 90" */
export const orListIn = (locale: string, items: readonly string[]): string =>
  new Intl.ListFormat(english(locale) ? 'en-GB' : locale, { type: 'disjunction' }).format(items)
