import { resetPasswordSubject, type ResetPasswordProps } from '../../email-templates/ResetPassword'
import { verifyEmailSubject, type VerifyEmailProps } from '../../email-templates/VerifyEmail'
import { isLocale } from '../i18n/catalog'
import { serverURL } from '../lib/env'
import { safeNextPath } from '../lib/nextPath'
import { renderForPayloadAuth } from './render'

/**
 * Students' verification and password-reset emails, plugged into Payload's auth (collections/Students/index.ts).
 * Links always start at SERVER_URL, never at the request's Host header (which a client controls).
 */
export const PASSWORD_RESET_VALID_MS = 60 * 60 * 1000

type AuthUser = { fullName?: string | null; email?: string | null; language?: string | null } | undefined
/** The register endpoint puts the visitor's checked `?next=` here (collections/Students/endpoints/register.ts). */
type AuthReq = { context?: Record<string, unknown> } | undefined

export const VERIFY_NEXT_CONTEXT = 'verifyNext'

const nameOf = (user: AuthUser) => user?.fullName || user?.email || 'there'

/** `next`: the pending choice (e.g. a booking being confirmed) the student returns to after verifying. */
export const verifyEmailUrl = (token: string, next?: string | null): string => {
  const safe = safeNextPath(next)
  return `${serverURL()}/verify?token=${encodeURIComponent(token)}${safe ? `&next=${encodeURIComponent(safe)}` : ''}`
}
export const resetPasswordUrl = (token: string): string => `${serverURL()}/reset-password?token=${encodeURIComponent(token)}`

// The student's language (set at registration), else English: these mails are sent before any profile page.
const localeOf = (user: AuthUser) => (isLocale(user?.language) ? { locale: user.language } : {})

const verifyProps = (args: { req?: AuthReq; token: string; user: AuthUser }): VerifyEmailProps => ({
  recipientName: nameOf(args.user),
  verifyUrl: verifyEmailUrl(args.token, args.req?.context?.[VERIFY_NEXT_CONTEXT] as string | undefined),
  ...localeOf(args.user),
})
const resetProps = (args?: { token?: string; user?: AuthUser }): ResetPasswordProps => ({
  recipientName: nameOf(args?.user),
  resetUrl: resetPasswordUrl(args?.token ?? ''),
  validForHours: PASSWORD_RESET_VALID_MS / 3_600_000,
  ...localeOf(args?.user),
})

export const studentVerifyEmail = {
  generateEmailSubject: (args: { req?: AuthReq; token: string; user: AuthUser }): string => verifyEmailSubject(verifyProps(args)),
  generateEmailHTML: async (args: { req?: AuthReq; token: string; user: AuthUser }): Promise<string> => (await renderForPayloadAuth('verify-email', verifyProps(args))).html,
}

export const studentForgotPasswordEmail = {
  expiration: PASSWORD_RESET_VALID_MS,
  generateEmailSubject: (args?: { token?: string; user?: AuthUser }): string => resetPasswordSubject(resetProps(args)),
  generateEmailHTML: async (args?: { token?: string; user?: AuthUser }): Promise<string> => (await renderForPayloadAuth('reset-password', resetProps(args))).html,
}
