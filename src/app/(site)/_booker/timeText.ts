import { getFormatter, getLocale } from 'next-intl/server'

import { usesTwelveHourClock } from '../_zone/visitorZone'

/** Formats instants for this request: its language, the visitor's 12/24-hour habit, and always an explicit zone. */
export type TimeText = {
  locale: string
  /** "Saturday, 27 March 2027, 6:00 PM" */
  when: (instant: number, timeZone: string) => string
  /** "6:00 PM" */
  time: (instant: number, timeZone: string) => string
  /** "Saturday, 27 March" */
  day: (instant: number, timeZone: string) => string
}

export async function timeText(): Promise<TimeText> {
  const [format, locale] = await Promise.all([getFormatter(), getLocale()])
  const hour12 = await usesTwelveHourClock(locale)
  return {
    locale,
    when: (instant, timeZone) =>
      format.dateTime(instant, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12 }),
    time: (instant, timeZone) => format.dateTime(instant, { timeZone, hour: 'numeric', minute: '2-digit', hour12 }),
    day: (instant, timeZone) => format.dateTime(instant, { timeZone, weekday: 'long', day: 'numeric', month: 'long' }),
  }
}
