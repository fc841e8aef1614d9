import schedule, { type Job } from 'node-schedule'
import type { Payload } from 'payload'

import { expandDueMailIntents } from '../email/appointmentMail'
import { flushEmailKicks } from '../email/kicks'
import { emailServicesFor } from '../email/services'
import { handleDuePasswordResetRequests } from '../security/passwordResetQueue'

/**
 * Background work of every replica: the email dispatcher tick. All state lives in the database (the outbox and
 * its claims), so any number of replicas may run this, a restart loses nothing, and no per-appointment timer
 * exists anywhere. A tick sends everything due (a reminder is due at its `nextAttemptAt`).
 *
 * EMAIL_DISPATCH_CRON (default every minute) or EMAIL_DISPATCH_INTERVAL_MS sets the pace;
 * EMAIL_DISPATCH_ENABLED=0 turns the tick off on a replica (kicks after enqueueing still run).
 */
const CLAIM_RETENTION_MS = 7 * 24 * 60 * 60 * 1000
const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000
/** Replicas ticking on the same cron second start up to this much apart, to spread the claim races. */
const TICK_JITTER_MS = 3_000

export type BackgroundJobs = { stop(): Promise<void>; tick(): Promise<void> }

export type BackgroundJobOptions = {
  /** Overrides EMAIL_DISPATCH_INTERVAL_MS / EMAIL_DISPATCH_CRON (tests). */
  intervalMs?: number
  /** Overrides EMAIL_DISPATCH_CRON, and any interval (tests: '* * * * * *' ticks each second). */
  cron?: string
}

/**
 * Work whose process died before doing it, taken over by any replica's tick (and by scripts/dispatch-emails.ts):
 * the mail of appointment writes that did not get queued, and forgot-password requests not yet handled.
 * Each failure is logged; the next tick retries.
 */
export async function takeOverOrphanedWork(payload: Payload): Promise<void> {
  await expandDueMailIntents(payload).catch((error: unknown) =>
    payload.logger.error({ event: 'email.intents_failed', err: error }, 'could not read the due mail intents; the next tick retries'),
  )
  await handleDuePasswordResetRequests(payload).catch((error: unknown) =>
    payload.logger.error({ event: 'auth.forgot_password_backstop_failed', err: error }, 'could not read the due forgot-password requests; the next tick retries'),
  )
}

export function startBackgroundJobs(payload: Payload, options: BackgroundJobOptions = {}): BackgroundJobs {
  let stopping = false
  let running: Promise<void> | undefined
  let lastHousekeeping = 0
  let job: Job | null = null
  let interval: NodeJS.Timeout | undefined
  let jitterTimer: NodeJS.Timeout | undefined

  const work = async () => {
    const services = await emailServicesFor(payload)
    await takeOverOrphanedWork(payload)
    const stats = await services.dispatcher.drain({ budgetMs: 50_000, shouldStop: () => stopping })
    if (stats.candidates > 0) payload.logger.info({ event: 'email.dispatch_tick', ...stats }, 'email dispatch tick')
    if (Date.now() - lastHousekeeping > HOUSEKEEPING_EVERY_MS) {
      lastHousekeeping = Date.now()
      await services.claims.deleteOlderThan(new Date(Date.now() - Math.max(CLAIM_RETENTION_MS, 10 * services.settings.leaseMs)))
      const repaired = await services.outbox.repairQueue()
      if (repaired > 0) payload.logger.warn({ event: 'email.queue_repaired', repaired }, 're-queued unsettled emails that had lost their queue entry')
    }
  }

  const tick = (): Promise<void> => {
    if (stopping) return Promise.resolve()
    // A tick still running (a big backlog) is not doubled: the next one starts after it.
    if (!running) {
      running = work()
        .catch((error: unknown) => payload.logger.error({ event: 'email.dispatch_tick_failed', err: error }, 'email dispatch tick failed'))
        .finally(() => {
          running = undefined
        })
    }
    return running
  }

  const jitteredTick = () => {
    jitterTimer = setTimeout(() => void tick(), Math.floor(Math.random() * TICK_JITTER_MS))
  }

  const enabled = process.env.EMAIL_DISPATCH_ENABLED !== '0' || options.intervalMs !== undefined || options.cron !== undefined
  if (enabled) {
    void emailServicesFor(payload).then(
      (services) => {
        if (stopping) return
        const intervalMs = options.cron ? undefined : options.intervalMs ?? services.settings.intervalMs
        if (intervalMs) {
          interval = setInterval(() => void tick(), intervalMs)
        } else {
          const cron = options.cron ?? services.settings.cron
          job = schedule.scheduleJob(cron, jitteredTick)
          if (!job) payload.logger.error({ event: 'email.bad_cron', cron }, 'EMAIL_DISPATCH_CRON is not a valid cron expression')
        }
        // Catch up at start: whatever fell due while no replica was running goes out now.
        void tick()
      },
      (error: unknown) => payload.logger.error({ event: 'email.jobs_start_failed', err: error }, 'email background jobs could not start'),
    )
  }

  return {
    tick,
    async stop() {
      stopping = true
      job?.cancel()
      if (interval) clearInterval(interval)
      if (jitterTimer) clearTimeout(jitterTimer)
      await running
      await flushEmailKicks()
    },
  }
}
