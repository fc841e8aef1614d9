import schedule from 'node-schedule'
import type { Payload } from 'payload'

import { sweepOrphanClaims } from '../booking/claimSweeper'
import { calendarCacheFor } from '../readModels/calendars'
import { mongoDb } from '../storage/db'
import { IdempotencyStore } from '../booking/idempotency'
import { sweepExpiredRateLimitHits } from '../security/rateLimiter'
import { sweepExpiredTokenStamps } from '../security/tokenStamps'
import { expiresBySelf } from '../storage/expiry'

/**
 * Housekeeping on every replica, each minute: free booking claims of requests that died midway, drop calendar
 * change-log entries past their retention (src/storage/changeLog.ts), and drop
 * expired rate-limit hits, token stamps and idempotency keys where the server has no TTL indexes (FerretDB 1.24;
 * on MongoDB those indexes do it, src/storage/expiry.ts). Every step
 * only deletes what is provably unneeded, so replicas running it at the same time do no harm.
 */
export function startMaintenanceJobs(payload: Payload): { stop: () => Promise<void> } {
  let running: Promise<void> | undefined
  const sweep = async () => {
    const db = mongoDb(payload)
    const expirySweeps: [string, () => Promise<unknown>][] = [
      ['rate_limits', () => sweepExpiredRateLimitHits(db)],
      ['token_stamps', () => sweepExpiredTokenStamps(db)],
      ['idempotency_keys', () => new IdempotencyStore(db).sweepExpired()],
    ]
    const steps: [string, () => Promise<unknown>][] = [
      ['claims', () => sweepOrphanClaims(payload)],
      ['change_log', () => calendarCacheFor(payload).log.sweep()],
      ...(expiresBySelf(db) ? [] : expirySweeps),
    ]
    for (const [name, step] of steps) {
      try {
        await step()
      } catch (error) {
        payload.logger.error({ event: 'maintenance.failed', step: name, err: error }, `maintenance step ${name} failed`)
      }
    }
  }
  const job = schedule.scheduleJob('30 * * * * *', () => {
    if (!running) running = sweep().finally(() => (running = undefined))
  })
  return {
    stop: async () => {
      job?.cancel()
      await running
    },
  }
}
