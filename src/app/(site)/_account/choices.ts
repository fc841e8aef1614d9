import { LOCALES, messagesFor } from '../../../i18n/catalog'

export type Choice = { value: string; label: string }

/** Each catalog language, named in its own language (Site.languageName), so a new file adds itself here. */
export function languageChoices(): Choice[] {
  return LOCALES.map((locale) => ({ value: locale, label: String((messagesFor(locale).Site as Record<string, unknown> | undefined)?.languageName ?? locale) }))
}

/** Every IANA zone this server knows (the same ICU data the API validates against), plus UTC. */
export function zoneChoices(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')]
}
