import type { Endpoint } from 'payload'

import { audit } from '../audit'
import { hitAll } from '../rateLimiter'
import { builtInHandler, emailFingerprint, errorJson, normalizeEmail, readJsonObject, securityContext, tooManyRequests } from '../http'

type AuthSlug = 'students' | 'users'

/** The address pattern Payload's own email field uses (payload/dist/fields/validations.js). */
const EMAIL_SHAPE = /^(?!.*\.\.)[\w!#$%&'*+/=?^`{|}~-](?:[\w!#$%&'*+/=?^`{|}~.-]*[\w!#$%&'*+/=?^`{|}~-])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/i

const inFlight = new Set<Promise<void>>()

/** Resolves when every forgot-password request answered so far has finished its background work (tests). */
export async function settleForgotPasswordWork(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight])
}

/**
 * POST /api/<students|users>/forgot-password: always the same 200 body, at the same speed, whether or not the
 * address has an account. The real work (token, email through the outbox) runs after the answer is sent, so its
 * cost cannot be timed; per-IP and per-address limits stop mail bombing.
 */
export function forgotPasswordEndpoint(slug: AuthSlug): Endpoint {
  const endpoint: Endpoint = {
    path: '/forgot-password',
    method: 'post',
    handler: async (req) => {
      const body = await readJsonObject(req)
      if (!body.ok) return body.response
      const email = normalizeEmail(body.data.email)
      if (!email || !EMAIL_SHAPE.test(email)) return errorJson(400, 'INVALID_REQUEST', 'Enter the email address of your account, e.g. sam@example.com.')
      const { limiter, ip } = securityContext(req)
      const limits = await hitAll(limiter, [
        { rule: 'forgot_password:ip', subject: ip },
        { rule: 'forgot_password:account', subject: `${slug}:${email}` },
      ])
      if (limits.refused) {
        audit(req.payload, 'auth.forgot_password_rate_limited', { collection: slug, emailFingerprint: emailFingerprint(email), ip, rule: limits.refused.rule.name, retryAfterSeconds: limits.refused.retryAfterSeconds }, 'warn')
        return tooManyRequests(limits.refused)
      }
      audit(req.payload, 'auth.forgot_password_requested', { collection: slug, emailFingerprint: emailFingerprint(email), ip })
      const handler = builtInHandler(req, slug, endpoint)
      // Detached on purpose: the answer must not wait for (or reveal) the lookup, token and email.
      // Started on a later turn of the event loop, after the answer has been handed to the server to send.
      const work: Promise<void> = new Promise((resolve) => setTimeout(resolve, 5))
        .then(() => handler(req))
        .then(
          () => undefined,
          (error: unknown) => req.payload.logger.error({ event: 'auth.forgot_password_failed', collection: slug, err: error }, 'forgot-password failed'),
        )
        .finally(() => inFlight.delete(work))
      inFlight.add(work)
      return Response.json({ message: 'If an account uses that address, we have sent it a link to choose a new password. The link works for 1 hour.' }, { status: 200 })
    },
  }
  return endpoint
}
