import type { Endpoint } from 'payload'

import { audit } from '../../../src/security/audit'
import { hitAll } from '../../../src/security/rateLimiter'
import { readJsonObject } from '../../../src/http/body'
import { builtInHandler } from '../../../src/http/builtInHandler'
import { errorName, errorStatus, securityContext, tooManyRequests } from '../../../src/security/http'

type AuthSlug = 'students' | 'users'

/**
 * POST /api/<students|users>/reset-password `{ token, password }` in front of Payload's: per-IP and per-token
 * attempt limits; the new password meets the policy (beforeOperation hook); the link works once and for at most
 * 1 hour (Payload: `forgotPassword.expiration`, expiry set to "now" on use); every other session of the account
 * ends (Payload clears `sessions` on reset when `useSessions` is on, the default).
 */
export function resetPasswordEndpoint(slug: AuthSlug): Endpoint {
  const endpoint: Endpoint = {
    path: '/reset-password',
    method: 'post',
    handler: async (req) => {
      const body = await readJsonObject(req)
      if (!body.ok) return body.response
      const { limiter, ip } = securityContext(req)
      const token = typeof body.data.token === 'string' && body.data.token.length <= 200 ? body.data.token : null
      const limits = await hitAll(limiter, [
        { rule: 'reset_password:ip', subject: ip },
        { rule: 'reset_password:account', subject: token ? `${slug}:${token}` : null },
      ])
      if (limits.refused) {
        audit(req.payload, 'auth.reset_password_rate_limited', { collection: slug, ip, rule: limits.refused.rule.name, retryAfterSeconds: limits.refused.retryAfterSeconds }, 'warn')
        return tooManyRequests(limits.refused)
      }
      try {
        const response = await builtInHandler(req, slug, endpoint)(req)
        if (response.status === 200) {
          const user = ((await response.clone().json()) as { user?: { id?: string } }).user
          audit(req.payload, 'auth.password_reset', { collection: slug, userId: user?.id, ip, outcome: 'other_sessions_ended' })
        }
        return response
      } catch (error) {
        audit(req.payload, 'auth.password_reset_failed', { collection: slug, ip, outcome: `${errorName(error) ?? 'Error'}_${errorStatus(error) ?? 500}` }, 'warn')
        throw error
      }
    },
  }
  return endpoint
}
