import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The message catalog: one JSON file per language in src/i18n/messages (en.json, es.json, …). The languages are
 * the file names, so adding a language is adding one file. Read from disk by the server only (the site and,
 * later, the student's emails); the server runs from the repository root (npm start, the image's /app).
 */
export type Messages = Record<string, unknown>

export const DEFAULT_LOCALE = 'en'
/** The student's profile language, set at sign-in and on profile save; read before Accept-Language. */
export const LOCALE_COOKIE = 'tt-lang'

const MESSAGES_DIR = path.join(process.cwd(), 'src', 'i18n', 'messages')

export const LOCALES: readonly string[] = readdirSync(MESSAGES_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort()

const loaded = new Map<string, Messages>()

export function messagesFor(locale: string): Messages {
  let messages = loaded.get(locale)
  if (!messages) {
    const file = LOCALES.includes(locale) ? locale : DEFAULT_LOCALE
    messages = JSON.parse(readFileSync(path.join(MESSAGES_DIR, `${file}.json`), 'utf8')) as Messages
    loaded.set(locale, messages)
  }
  return messages
}

export const isLocale = (value: unknown): value is string => typeof value === 'string' && LOCALES.includes(value)

/**
 * The best catalog language for an Accept-Language header ("es-MX,es;q=0.9,en;q=0.8"): by q-value, then order;
 * a regional tag falls back to its language ("es-MX" → "es"). None fits → English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): string {
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index }
    })
    .filter((range) => range.tag && range.tag !== '*' && Number.isFinite(range.q) && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const { tag } of ranges) {
    const found = LOCALES.find((locale) => locale === tag) ?? LOCALES.find((locale) => locale === tag.split('-')[0])
    if (found) return found
  }
  return DEFAULT_LOCALE
}
