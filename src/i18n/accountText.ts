import { DEFAULT_LOCALE, messagesFor } from './catalog'
import { translator } from './translator'

/**
 * The account endpoints' sentences (namespace FieldErrors) in the requester's language. Those sentences are made
 * in English in many places, some of them Payload's own (required, email, "The email or password provided is
 * incorrect.", an expired reset token), so they are translated where the answer leaves, not where they are made:
 * each FieldErrors key's English text is its stable identity; a sentence that matches one (its ICU `{params}` as
 * wildcards) is said again in the other language with the same params. Anything unknown stays as it was.
 */
const NAMESPACE = 'FieldErrors'

type Pattern = { key: string; regex: RegExp; params: string[] }

let patterns: Pattern[] | undefined

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function englishPatterns(): Pattern[] {
  if (patterns) return patterns
  const english = (messagesFor(DEFAULT_LOCALE)[NAMESPACE] ?? {}) as Record<string, string>
  patterns = Object.entries(english).map(([key, template]) => {
    const params: string[] = []
    const source = template
      .split(/(\{[a-zA-Z]+\})/)
      .map((part) => {
        const param = /^\{([a-zA-Z]+)\}$/.exec(part)?.[1]
        if (!param) return escapeRegex(part.replace(/''/g, "'"))
        params.push(param)
        return '(.+?)'
      })
      .join('')
    return { key, regex: new RegExp(`^${source}$`, 's'), params }
  })
  return patterns
}

/** The catalog key and params of an English account sentence, or null when the catalog does not know it. */
export function accountSentenceKey(english: string): { key: string; values: Record<string, string> } | null {
  for (const { key, regex, params } of englishPatterns()) {
    const match = regex.exec(english)
    if (match) return { key, values: Object.fromEntries(params.map((param, index) => [param, match[index + 1]])) }
  }
  return null
}

/** An English account sentence said in `locale` (unchanged when unknown, or when the locale is English). */
export function localizeAccountSentence(english: string, locale: string): string {
  if (locale === DEFAULT_LOCALE) return english
  const known = accountSentenceKey(english)
  return known ? translator(locale, NAMESPACE)(known.key, known.values) : english
}

/** The English of a FieldErrors key: what the endpoints and validators answer before the boundary translates it. */
export const englishAccountText = (key: string, values?: Record<string, string | number>): string => translator(DEFAULT_LOCALE, NAMESPACE)(key, values)

type ErrorEntry = { message?: unknown; data?: { errors?: { message?: unknown }[] } & Record<string, unknown> } & Record<string, unknown>
type Body = { message?: unknown; errors?: ErrorEntry[] } & Record<string, unknown>

/**
 * A REST answer body (`{ message }` or Payload's `{ errors: [{ message, data: { errors: [{ path, message }] } }] }`)
 * with its sentences in `locale`; codes, fields and paths untouched. Returns the same object when nothing changed.
 */
export function localizeAnswerBody<T>(body: T, locale: string): T {
  if (locale === DEFAULT_LOCALE || !body || typeof body !== 'object') return body
  const say = (text: unknown): unknown => (typeof text === 'string' ? localizeAccountSentence(text, locale) : text)
  const source = body as Body
  let changed = false
  const copy: Body = { ...source }
  if (typeof source.message === 'string') {
    copy.message = say(source.message)
    changed ||= copy.message !== source.message
  }
  if (Array.isArray(source.errors)) {
    copy.errors = source.errors.map((entry) => {
      if (!entry || typeof entry !== 'object') return entry
      const next: ErrorEntry = { ...entry, message: say(entry.message) }
      changed ||= next.message !== entry.message
      if (Array.isArray(entry.data?.errors)) {
        next.data = { ...entry.data, errors: entry.data.errors.map((inner) => ({ ...inner, message: say(inner?.message) })) }
        changed ||= next.data.errors!.some((inner, index) => inner.message !== entry.data!.errors![index]?.message)
      }
      return next
    })
  }
  return (changed ? copy : body) as T
}
