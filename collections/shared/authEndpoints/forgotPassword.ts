import type { Endpoint } from 'payload'

import { audit } from '../../../src/security/audit'
import { handleSoon, recordPasswordResetRequest, settlePasswordResetRequests, type AuthSlug } from '../../../src/security/passwordResetQueue'
import { hitAll } from '../../../src/security/rateLimiter'
import { readJsonObject } from '../../../src/http/body'
import { errorResponse } from '../../../src/http/errors'
import { englishAccountText } from '../../../src/i18n/accountText'
import { emailFingerprint, normalizeEmail, securityContext, tooManyRequests } from '../../../src/security/http'

/** The address pattern Payload's own email field uses (payload/dist/fields/validations.js). */
const EMAIL_SHAPE = /^(?!.*\.\.)[\w!#$%&'*+/=?^`{|}~-](?:[\w!#$%&'*+/=?^`{|}~.-]*[\w!#$%&'*+/=?^`{|}~-])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/i

/** Resolves when every forgot-password request answered so far in this process has been handled (tests). */
export const settleForgotPasswordWork = settlePasswordResetRequests

/**
 * POST /api/<students|users>/forgot-password: always the same 200 body, after the same work, whether or not the
 * address has an account: the limits, an audit line and one queued request (src/security/passwordResetQueue.ts).
 * The lookup, token and email happen later, in a batch at a random moment, so neither this answer nor the next
 * request's tells them apart; per-IP and per-address limits stop mail bombing.
 */
export function forgotPasswordEndpoint(slug: AuthSlug): Endpoint {
  return {
    path: '/forgot-password',
    method: 'post',
    handler: async (req) => {
      const body = await readJsonObject(req)
      if (!body.ok) return body.response
      const email = normalizeEmail(body.data.email)
      if (!email || !EMAIL_SHAPE.test(email)) return errorResponse(400, 'INVALID_REQUEST', englishAccountText('forgotEmail'))
      const { db, limiter, ip } = securityContext(req)
      const limits = await hitAll(limiter, [
        { rule: 'forgot_password:ip', subject: ip },
        { rule: 'forgot_password:account', subject: `${slug}:${email}` },
      ])
      if (limits.refused) {
        audit(req.payload, 'auth.forgot_password_rate_limited', { collection: slug, emailFingerprint: emailFingerprint(email), ip, rule: limits.refused.rule.name, retryAfterSeconds: limits.refused.retryAfterSeconds }, 'warn')
        return tooManyRequests(limits.refused)
      }
      audit(req.payload, 'auth.forgot_password_requested', { collection: slug, emailFingerprint: emailFingerprint(email), ip })
      const request = await recordPasswordResetRequest(db, { collection: slug, email, ip })
      handleSoon(req.payload, request)
      return Response.json({ message: englishAccountText('resetLinkSent') }, { status: 200 })
    },
  }
}
