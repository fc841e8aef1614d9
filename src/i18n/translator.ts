import { createTranslator } from 'next-intl'

import { DEFAULT_LOCALE, isLocale, messagesFor, negotiateLocale } from './catalog'

/**
 * The catalog outside a page render (emails, API answers): next-intl's createTranslator over the same
 * src/i18n/messages files the site reads. Values are pre-formatted strings (see times.ts), so no ICU date
 * formats and no zone setting are needed here.
 */
export type Translate = (key: string, values?: Record<string, string | number>) => string

/**
 * One translator per catalog locale and namespace, kept: a new one parses each ICU message again on first use, and
 * building them per mail cost ~1 of the ~22 server CPU ms of a booking with its two mails (bench/bookingProfile.ts). Bounded by
 * the catalog's locales times the code's namespaces; other locales are not kept.
 */
const translators = new Map<string, Translate>()

export function translator(locale: string, namespace: string): Translate {
  const key = `${locale} ${namespace}`
  const kept = translators.get(key)
  if (kept) return kept
  const t = createTranslator({ locale, messages: messagesFor(locale) as never, namespace: namespace as never })
  const translate: Translate = (key, values) => (t as unknown as (key: string, values?: Record<string, string | number>) => string)(key, values)
  if (isLocale(locale)) translators.set(key, translate)
  return translate
}

/** A person's language: their profile's `language` when the catalog has it, else the request's Accept-Language, else English. */
export function languageOf(person: { language?: string | null } | null | undefined, acceptLanguage?: string | null): string {
  if (isLocale(person?.language)) return person.language
  return acceptLanguage ? negotiateLocale(acceptLanguage) : DEFAULT_LOCALE
}
