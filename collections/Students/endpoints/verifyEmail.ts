import type { Endpoint } from 'payload'

import { audit } from '../../../src/security/audit'
import { hitAll } from '../../../src/security/rateLimiter'
import { checkVerificationToken, forgetVerificationToken } from '../../../src/security/tokenStamps'
import { builtInHandler } from '../../../src/http/builtInHandler'
import { errorResponse } from '../../../src/http/errors'
import { securityContext, tooManyRequests } from '../../../src/security/http'
import { englishAccountText } from '../../../src/i18n/accountText'

/**
 * POST /api/students/verify/:token in front of Payload's: per-IP and per-token limits, and links expire 24 h after
 * they were issued (Payload 3.90 never expires `_verificationToken`; src/security/tokenStamps.ts records when
 * each one was issued). An expired link is answered like an unknown one.
 */
export const verifyStudentEmailEndpoint: Endpoint = {
  path: '/verify/:id',
  method: 'post',
  handler: async (req) => {
    const token = typeof req.routeParams?.id === 'string' ? req.routeParams.id : ''
    const { db, limiter, ip } = securityContext(req)
    const limits = await hitAll(limiter, [
      { rule: 'verify:ip', subject: ip },
      { rule: 'verify:account', subject: token ? `students:${token}` : null },
    ])
    if (limits.refused) {
      audit(req.payload, 'auth.verify_rate_limited', { collection: 'students', ip, rule: limits.refused.rule.name, retryAfterSeconds: limits.refused.retryAfterSeconds }, 'warn')
      return tooManyRequests(limits.refused)
    }
    const verdict = /^[0-9a-f]{40}$/.test(token) ? await checkVerificationToken(db, 'students', token) : ({ ok: false, reason: 'unknown' } as const)
    if (!verdict.ok) {
      audit(req.payload, 'auth.verify_refused', { collection: 'students', ip, outcome: verdict.reason }, 'warn')
      return errorResponse(403, 'VERIFICATION_LINK_INVALID', englishAccountText('verifyLinkInvalid'))
    }
    const response = await builtInHandler(req, 'students', verifyStudentEmailEndpoint)(req)
    if (response.status === 200) {
      await forgetVerificationToken(db, token)
      audit(req.payload, 'auth.email_verified', { collection: 'students', userId: verdict.userId, ip })
    }
    return response
  },
}
