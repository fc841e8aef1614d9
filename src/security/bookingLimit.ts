import type { PayloadRequest } from 'payload'

import { audit } from './audit'
import { hitAll } from './rateLimiter'
import { securityContext, tooManyRequests } from './http'

/**
 * Per-student booking attempts (RATE_LIMIT_BOOKING_PER_STUDENT per …_WINDOW_SECONDS, shared by every replica).
 * Returns the 429 to send, or null to go on. Called at the top of the student path of POST /api/appointments.
 */
export async function refuseIfBookingTooFast(req: PayloadRequest): Promise<Response | null> {
  if (!req.user) return null
  const { limiter, ip } = securityContext(req)
  const { refused } = await hitAll(limiter, [{ rule: 'booking:student', subject: String(req.user.id) }])
  if (!refused) return null
  audit(req.payload, 'booking.rate_limited', { collection: 'students', userId: String(req.user.id), ip, rule: refused.rule.name, retryAfterSeconds: refused.retryAfterSeconds }, 'warn')
  return tooManyRequests(refused)
}
