import { dictionary } from '@zxcvbn-ts/language-common'

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

/** The problem with a new password, as a sentence the person can act on; null when it is fine. */
export function passwordProblem(password: unknown, context: { email?: unknown } = {}): string | null {
  if (typeof password !== 'string' || password.length === 0) return 'Enter a password.'
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}). A few unrelated words, spaces allowed, make a strong and memorable password.`
  }
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters (this one has ${length}).`
  if (isCommonPassword(password)) {
    return 'This password is on a list of common passwords that attackers try first. Choose something less predictable, e.g. a few unrelated words.'
  }
  if (typeof context.email === 'string' && context.email) {
    const email = context.email.trim().toLowerCase()
    const lowered = password.trim().toLowerCase()
    const localPart = email.split('@')[0]
    if (lowered === email || (localPart.length >= 4 && lowered.replace(/[\d\W_]+$/u, '') === localPart)) {
      return 'Do not use your email address as your password.'
    }
  }
  return null
}
