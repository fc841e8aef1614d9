import type { Endpoint } from 'payload'

import { audit } from '../../../src/security/audit'
import { hitAll } from '../../../src/security/rateLimiter'
import { spendPasswordCheck } from '../../../src/security/passwordHashing'
import { readJsonObject } from '../../../src/http/body'
import { builtInHandler } from '../../../src/http/builtInHandler'
import { emailFingerprint, errorName, errorStatus, normalizeEmail, securityContext, tooManyRequests } from '../../../src/security/http'

type AuthSlug = 'students' | 'users'

/**
 * POST /api/<students|users>/login, in front of Payload's own login:
 *  - per-IP and per-account attempt limits (429 + Retry-After), taken before the password is checked, so no more
 *    than the account limit of password checks run per window however many replicas the requests spread over;
 *    a successful login gives its slot back;
 *  - an email with no account costs the same PBKDF2 work as a wrong password, then gets Payload's same 401 body;
 *  - every failure and every refusal is an audit log line (the success line comes from the afterLogin hook).
 */
export function loginEndpoint(slug: AuthSlug): Endpoint {
  const endpoint: Endpoint = {
    path: '/login',
    method: 'post',
    handler: async (req) => {
      const body = await readJsonObject(req)
      if (!body.ok) return body.response
      const { db, limiter, ip } = securityContext(req)
      const email = normalizeEmail(body.data.email)
      const password = body.data.password
      const limits = await hitAll(limiter, [
        { rule: 'login:ip', subject: ip },
        { rule: 'login:account', subject: email ? `${slug}:${email}` : null },
      ])
      if (limits.refused) {
        audit(req.payload, 'auth.login_rate_limited', { collection: slug, emailFingerprint: emailFingerprint(email), ip, rule: limits.refused.rule.name, retryAfterSeconds: limits.refused.retryAfterSeconds }, 'warn')
        return tooManyRequests(limits.refused)
      }
      const willCheckPassword = email !== null && typeof password === 'string' && password.trim() !== ''
      let account: { _id: unknown } | null = null
      if (willCheckPassword) {
        account = await db.collection(slug).findOne({ email }, { projection: { _id: 1 } })
        // Payload answers an unknown email at once; a wrong password costs a PBKDF2. Make both cost the same.
        if (!account) await spendPasswordCheck(password)
      }
      try {
        const response = await builtInHandler(req, slug, endpoint)(req)
        if (response.status === 200) {
          const accountSlot = limits.taken.find((outcome) => outcome.rule.name === 'login:account')
          if (accountSlot) await limiter.release(accountSlot)
        }
        return response
      } catch (error) {
        const status = errorStatus(error)
        audit(
          req.payload,
          'auth.login_failed',
          {
            collection: slug,
            userId: account ? String(account._id) : undefined,
            emailFingerprint: account ? undefined : emailFingerprint(email),
            ip,
            outcome: errorName(error) === 'UnverifiedEmail' ? 'email_not_verified' : status === 401 ? 'invalid_credentials' : `error_${status ?? 500}`,
          },
          'warn',
        )
        throw error
      }
    },
  }
  return endpoint
}
