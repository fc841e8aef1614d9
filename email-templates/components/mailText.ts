import { DEFAULT_LOCALE } from '../../src/i18n/catalog'
import { dateTimeIn, durationIn, rangeIn } from '../../src/i18n/times'
import { translator, type Translate } from '../../src/i18n/translator'

/**
 * A student's mail words (namespace Mail of src/i18n/messages) and times, in their language; every time in the
 * recipient's zone with the zone named. Tutor mails call it without a locale and get English.
 */
export type MailText = {
  t: Translate
  locale: string
  /** "Fri 15 Jan 2027 09:00 (America/Los_Angeles)" */
  at: (instant: number, timeZone: string) => string
  /** "Fri 15 Jan 2027 09:00–10:00 (America/Los_Angeles)" */
  range: (start: number, end: number, timeZone: string) => string
  duration: (ms: number) => string
}

export function mailText(locale?: string | null): MailText {
  const language = locale || DEFAULT_LOCALE
  return {
    t: translator(language, 'Mail'),
    locale: language,
    at: (instant, timeZone) => `${dateTimeIn(language, instant, timeZone)} (${timeZone})`,
    range: (start, end, timeZone) => `${rangeIn(language, start, end, timeZone)} (${timeZone})`,
    duration: (ms) => durationIn(language, ms),
  }
}
