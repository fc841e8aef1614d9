import type { PayloadRequest } from 'payload'

import { audit } from './audit'
import type { RateLimitRuleName } from './config'
import { hitAll } from './rateLimiter'
import { securityContext, tooManyRequests } from './http'

type StudentRule = Extract<RateLimitRuleName, `${string}:student`>

/**
 * A per-student limit (RATE_LIMIT_<ACTION>_PER_STUDENT per …_WINDOW_SECONDS, shared by every replica).
 * Returns the 429 to send, or null to go on.
 */
export async function refuseIfStudentTooFast(req: PayloadRequest, rule: StudentRule): Promise<Response | null> {
  if (!req.user) return null
  const { limiter, ip } = securityContext(req)
  const { refused } = await hitAll(limiter, [{ rule, subject: String(req.user.id) }])
  if (!refused) return null
  const event = rule === 'booking:student' ? 'booking.rate_limited' : 'message_tutor.rate_limited'
  audit(req.payload, event, { collection: 'students', userId: String(req.user.id), ip, rule: refused.rule.name, retryAfterSeconds: refused.retryAfterSeconds }, 'warn')
  return tooManyRequests(refused)
}

/** Booking attempts: called at the top of the student path of POST /api/appointments. */
export const refuseIfBookingTooFast = (req: PayloadRequest): Promise<Response | null> => refuseIfStudentTooFast(req, 'booking:student')
