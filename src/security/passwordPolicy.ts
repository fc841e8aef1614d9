import { dictionary } from '@zxcvbn-ts/language-common'

import { englishAccountText } from '../i18n/accountText'

/**
 * Password rules (OWASP Authentication Cheat Sheet, ASVS 5.0 V6.2): at least 12 characters, up to 128, any
 * characters (spaces and emoji included, nothing truncated, no composition rules), and not a password
 * attackers try first: the 49,000-entry common-password list maintained by zxcvbn-ts
 * (`@zxcvbn-ts/language-common`, `dictionary['passwords-common']`), compared case-insensitively, also with a
 * trailing run of digits/symbols removed ("Sunshine2024!" is "sunshine"), plus the user's own email address.
 */
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 128

let commonPasswords: Set<string> | undefined

function common(): Set<string> {
  commonPasswords ??= new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()))
  return commonPasswords
}

export const isCommonPassword = (password: string): boolean => {
  const lowered = password.normalize('NFKC').trim().toLowerCase()
  if (common().has(lowered)) return true
  const stem = lowered.replace(/[\d\W_]+$/u, '')
  if (stem.length >= 4 && stem !== lowered && common().has(stem)) return true
  // "aaaaaaaaaaaa", "abcabcabcabc": one short unit repeated.
  if (/^(.{1,4})\1+$/u.test(lowered)) return true
  return false
}

/**
 * The problem with a new password, as a sentence the person can act on (English, from the catalog's FieldErrors:
 * the student endpoints say it again in the requester's language, src/i18n/accountAnswers.ts); null when it is fine.
 */
export function passwordProblem(password: unknown, context: { email?: unknown } = {}): string | null {
  if (typeof password !== 'string' || password.length === 0) return englishAccountText('passwordMissing')
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH) return englishAccountText('passwordTooShort', { min: String(PASSWORD_MIN_LENGTH), length: String(length) })
  if (length > PASSWORD_MAX_LENGTH) return englishAccountText('passwordTooLong', { max: String(PASSWORD_MAX_LENGTH), length: String(length) })
  if (isCommonPassword(password)) return englishAccountText('passwordCommon')
  if (typeof context.email === 'string' && context.email) {
    const email = context.email.trim().toLowerCase()
    const lowered = password.trim().toLowerCase()
    const localPart = email.split('@')[0]
    if (lowered === email || (localPart.length >= 4 && lowered.replace(/[\d\W_]+$/u, '') === localPart)) {
      return englishAccountText('passwordIsEmail')
    }
  }
  return null
}
