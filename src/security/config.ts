/**
 * Security settings, read from the environment (every variable is listed in .env.example and docs/security.md).
 * Read on use, not at import, so tests and the benchmark can change them per process.
 */
import { isProduction } from '../lib/env'

function readInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`)
  return value
}

function readBool(name: string, fallback: boolean): boolean {
  const raw = process.env[name]?.trim().toLowerCase()
  if (!raw) return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new Error(`Environment variable ${name} must be true or false, got "${process.env[name]}"`)
}

/** What a limit counts, and the subject it counts per. */
export type RateLimitAction = 'login' | 'forgot_password' | 'reset_password' | 'verify' | 'register' | 'booking' | 'message_tutor'
export type RateLimitSubject = 'account' | 'ip' | 'student'

export type RateLimitRuleName = `${Exclude<RateLimitAction, 'booking' | 'message_tutor'>}:${'account' | 'ip'}` | 'booking:student' | 'message_tutor:student'

export type RateLimitRule = {
  /** e.g. "login:account" — part of every bucket id. */
  name: RateLimitRuleName
  /** Attempts allowed per window; 0 = no limit for this rule. */
  limit: number
  windowSeconds: number
}

/** Defaults: [limit, window in seconds]. Env: RATE_LIMIT_<ACTION>_PER_<SUBJECT> and …_WINDOW_SECONDS. */
export const RATE_LIMIT_DEFAULTS: Record<RateLimitRule['name'], [number, number]> = {
  'login:account': [10, 15 * 60],
  'login:ip': [100, 15 * 60],
  'forgot_password:account': [5, 60 * 60],
  'forgot_password:ip': [20, 60 * 60],
  'reset_password:account': [5, 15 * 60],
  'reset_password:ip': [20, 15 * 60],
  'verify:account': [5, 15 * 60],
  'verify:ip': [20, 15 * 60],
  'register:account': [5, 60 * 60],
  'register:ip': [20, 60 * 60],
  'booking:student': [60, 10 * 60],
  // Each one mails a tutor: a handful an hour is plenty for a student inside a cut-off.
  'message_tutor:student': [5, 60 * 60],
}

export const rateLimitEnvName = (name: RateLimitRule['name']): string => {
  const [action, subject] = name.split(':')
  return `RATE_LIMIT_${action.toUpperCase()}_PER_${subject.toUpperCase()}`
}

export function rateLimitRule(name: RateLimitRule['name']): RateLimitRule {
  const [limit, windowSeconds] = RATE_LIMIT_DEFAULTS[name]
  const base = rateLimitEnvName(name)
  return { name, limit: readInt(base, limit), windowSeconds: Math.max(1, readInt(`${base}_WINDOW_SECONDS`, windowSeconds)) }
}

/** RATE_LIMIT_DISABLED=true turns every limit off (benchmarks, load tests). Never in production traffic. */
export const rateLimitingDisabled = (): boolean => readBool('RATE_LIMIT_DISABLED', false)

/** TRUSTED_PROXIES: comma-separated IPs or CIDRs of the load balancers / ingress in front of the app. */
export function trustedProxies(): string[] {
  return (process.env.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
}

/** MAX_BODY_BYTES: largest request body accepted (413 above it). Default 1 MiB. */
export const maxBodyBytes = (): number => readInt('MAX_BODY_BYTES', 1024 * 1024)

/** COOKIE_SECURE: the auth cookie's Secure flag; default on in production. */
export const authCookieSecure = (): boolean => readBool('COOKIE_SECURE', isProduction())

/** HSTS_MAX_AGE_SECONDS: Strict-Transport-Security max-age (production only); default one year. */
export const hstsMaxAgeSeconds = (): number => readInt('HSTS_MAX_AGE_SECONDS', 365 * 24 * 60 * 60)

/** Verification links work this long after they are issued. */
export const VERIFICATION_LINK_VALID_MS = 24 * 60 * 60 * 1000

/** Password-reset links (Payload's forgotPassword.expiration) work this long, once. */
export const RESET_LINK_VALID_MS = 60 * 60 * 1000
