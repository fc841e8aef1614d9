import { createTranslator } from 'next-intl'

import { DEFAULT_LOCALE, isLocale, messagesFor, negotiateLocale } from './catalog'

/**
 * The catalog outside a page render (emails, API answers): next-intl's createTranslator over the same
 * src/i18n/messages files the site reads. Values are pre-formatted strings (see times.ts), so no ICU date
 * formats and no zone setting are needed here.
 */
export type Translate = (key: string, values?: Record<string, string | number>) => string

export function translator(locale: string, namespace: string): Translate {
  const t = createTranslator({ locale, messages: messagesFor(locale) as never, namespace: namespace as never })
  return (key, values) => (t as unknown as (key: string, values?: Record<string, string | number>) => string)(key, values)
}

/** A person's language: their profile's `language` when the catalog has it, else the request's Accept-Language, else English. */
export function languageOf(person: { language?: string | null } | null | undefined, acceptLanguage?: string | null): string {
  if (isLocale(person?.language)) return person.language
  return acceptLanguage ? negotiateLocale(acceptLanguage) : DEFAULT_LOCALE
}
