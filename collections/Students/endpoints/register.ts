import { createElement } from 'react'

import { render } from '@react-email/render'
import type { Endpoint, PayloadRequest } from 'payload'

import { isStaff } from '../../../src/access/roles'
import { isLocale } from '../../../src/i18n/catalog'
import { AccountExists, accountExistsSubject, type AccountExistsProps } from '../../../email-templates/AccountExists'
import { htmlToText } from '../../../src/email/render'
import { VERIFY_NEXT_CONTEXT, verifyEmailUrl } from '../../../src/email/authEmails'
import { serverURL } from '../../../src/lib/env'
import { safeNextPath } from '../../../src/lib/nextPath'
import { audit } from '../../../src/security/audit'
import { hitAll } from '../../../src/security/rateLimiter'
import { spendPasswordCheck } from '../../../src/security/passwordHashing'
import { newVerificationToken, stampVerificationToken } from '../../../src/security/tokenStamps'
import { readJsonObject } from '../../../src/http/body'
import { englishAccountText } from '../../../src/i18n/accountText'
import { builtInHandler } from '../../../src/http/builtInHandler'
import { errorResponse } from '../../../src/http/errors'
import { emailFingerprint, errorName, normalizeEmail, securityContext, tooManyRequests } from '../../../src/security/http'

/** What a visitor may set when signing up; anything else (`_verified`, `hash`, `sessions`…) is refused outright. */
const REGISTRATION_FIELDS = new Set(['email', 'password', 'fullName', 'timeZone', 'phone', 'language'])

export const REGISTERED_MESSAGE = englishAccountText('registered')

/**
 * POST /api/students for anyone but staff (registration). A new address and one that already has an account get
 * the same 201 `{ message }`, at about the same speed: Payload's create refuses a known address *before* hashing
 * the password, so that path spends the same PBKDF2 work and then emails the owner instead (a verified account:
 * "you already have an account — log in or reset your password"; an unverified one: a fresh 24-hour
 * verification link). Staff requests (the admin panel) go to Payload's own create, answers unchanged.
 * `?next=<path on this site>`: the pending choice the verification link returns the student to.
 */
export const registerStudentEndpoint: Endpoint = {
  path: '/',
  method: 'post',
  handler: async (req) => {
    const builtIn = builtInHandler(req, 'students', registerStudentEndpoint)
    if (isStaff(req)) return builtIn(req)
    const body = await readJsonObject(req)
    if (!body.ok) return body.response
    const unknown = Object.keys(body.data).filter((key) => !REGISTRATION_FIELDS.has(key))
    if (unknown.length > 0) {
      return errorResponse(400, 'INVALID_REQUEST', `Unknown field(s): ${unknown.slice(0, 5).map((key) => key.slice(0, 40)).join(', ')}. Send email, password, fullName, timeZone and (optionally) phone and language.`)
    }
    const nextParam = req.searchParams?.get('next')
    if (nextParam !== null && nextParam !== undefined) {
      const next = safeNextPath(nextParam)
      if (!next) return errorResponse(400, 'INVALID_REQUEST', 'The "next" address must be a page of this site, starting with a single "/", e.g. /tutors/ada-lovelace.')
      req.context[VERIFY_NEXT_CONTEXT] = next
    }
    const { db, limiter, ip } = securityContext(req)
    const email = normalizeEmail(body.data.email)
    const limits = await hitAll(limiter, [
      { rule: 'register:ip', subject: ip },
      { rule: 'register:account', subject: email ? `students:${email}` : null },
    ])
    if (limits.refused) {
      audit(req.payload, 'auth.register_rate_limited', { collection: 'students', emailFingerprint: emailFingerprint(email), ip, rule: limits.refused.rule.name, retryAfterSeconds: limits.refused.retryAfterSeconds }, 'warn')
      return tooManyRequests(limits.refused)
    }
    try {
      const response = await builtIn(req)
      if (response.status !== 201) return response
      const created = ((await response.json()) as { doc?: { id?: string } }).doc
      audit(req.payload, 'auth.registered', { collection: 'students', userId: created?.id, ip })
      return Response.json({ message: REGISTERED_MESSAGE }, { status: 201 })
    } catch (error) {
      if (!email || !isEmailTaken(req, error)) throw error
      await spendPasswordCheck(body.data.password)
      const existing = await db.collection('students').findOne<{ _id: unknown; fullName?: string; _verified?: boolean; language?: string | null }>({ email }, { projection: { _id: 1, fullName: 1, _verified: 1, language: 1 } })
      if (existing) {
        try {
          if (existing._verified === false) await resendVerification(req, existing, email)
          // In the account's language, not the caller's: the mail goes to the owner.
          else await sendAccountExists(req, { recipientName: existing.fullName || 'there', loginUrl: loginUrlWith(req.context[VERIFY_NEXT_CONTEXT]), forgotPasswordUrl: `${serverURL()}/forgot-password`, ...(isLocale(existing.language) ? { locale: existing.language } : {}) }, email)
        } catch (mailError) {
          req.payload.logger.error({ event: 'auth.register_existing_mail_failed', err: mailError }, 'could not email the owner of an existing account')
        }
        audit(req.payload, 'auth.register_existing_account', { collection: 'students', userId: String(existing._id), ip, outcome: existing._verified === false ? 'verification_resent' : 'account_exists_mail' })
      }
      return Response.json({ message: REGISTERED_MESSAGE }, { status: 201 })
    }
  },
}

/** The account-exists mail's sign-in link keeps the pending choice, like the verification link does. */
const loginUrlWith = (next: unknown): string => `${serverURL()}/login${typeof next === 'string' ? `?next=${encodeURIComponent(next)}` : ''}`

/** Payload's "already registered" (checked before create) or the unique index's refusal (a racing twin). */
function isEmailTaken(req: PayloadRequest, error: unknown): boolean {
  if (errorName(error) !== 'ValidationError') return false
  const errors = (error as { data?: { errors?: { path?: string; message?: string }[] } }).data?.errors ?? []
  const taken = new Set([req.t('error:userEmailAlreadyRegistered'), req.t('error:valueMustBeUnique')])
  return errors.length > 0 && errors.every((entry) => entry.path === 'email' && taken.has(entry.message ?? ''))
}

async function sendAccountExists(req: PayloadRequest, props: AccountExistsProps, to: string): Promise<void> {
  const html = await render(createElement(AccountExists, props))
  await req.payload.sendEmail({ to, subject: accountExistsSubject(props), html, text: htmlToText(html) })
}

/** A new verification token (the old link stops working), stamped for 24 h, sent with the collection's own email. */
async function resendVerification(req: PayloadRequest, existing: { _id: unknown; fullName?: string; language?: string | null }, email: string): Promise<void> {
  const { db } = securityContext(req)
  const token = newVerificationToken()
  await db.collection('students').updateOne({ _id: existing._id as never }, { $set: { _verificationToken: token } })
  await stampVerificationToken(db, { collection: 'students', userId: String(existing._id), token })
  const verify = req.payload.collections.students.config.auth.verify
  const user = { id: String(existing._id), email, fullName: existing.fullName, language: existing.language }
  const generators = typeof verify === 'object' ? verify : {}
  const html = generators.generateEmailHTML ? await generators.generateEmailHTML({ req, token, user }) : `Confirm your email address: ${verifyEmailUrl(token, req.context[VERIFY_NEXT_CONTEXT] as string | undefined)}`
  const subject = generators.generateEmailSubject ? await generators.generateEmailSubject({ req, token, user }) : 'Confirm your email address'
  await req.payload.sendEmail({ to: email, subject, html })
}
