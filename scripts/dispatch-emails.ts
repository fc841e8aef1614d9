/**
 * Stand-alone email dispatcher: sends due outbox messages from DATABASE_URI until SIGTERM/SIGINT.
 * Any number may run beside the app's replicas (claims make each attempt single-owner).
 *
 *   DATABASE_URI=mongodb://… SES_ENDPOINT=… tsx scripts/dispatch-emails.ts
 *
 * Prints one JSON line per batch that did something, and `{"event":"ready"}` once it polls.
 * EMAIL_DISPATCH_POLL_MS sets the idle wait between polls (default 1000).
 */
import { getPayload } from 'payload'

import { flushEmailKicks } from '../src/email/kicks'
import { emailServicesFor } from '../src/email/services'
import { configWithoutTypeGeneration } from '../src/lib/configWithoutTypeGeneration'
import { takeOverOrphanedWork } from '../src/jobs/backgroundJobs'
import { mongoDb } from '../src/storage/db'
import { installMongoDriverWriteGuard } from '../src/storage/driverWriteGuard'
import { detectStorageFlavor } from '../src/storage/flavor'

async function main(): Promise<void> {
  installMongoDriverWriteGuard()
  const payload = await getPayload({ config: configWithoutTypeGeneration })
  await detectStorageFlavor(mongoDb(payload))
  const services = await emailServicesFor(payload)
  let stopping = false
  let wake: (() => void) | undefined
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`${JSON.stringify({ event: 'stopping', signal, pid: process.pid })}\n`)
    wake?.()
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))

  const totals = { sent: 0, retry: 0, failed: 0, cancelled: 0 }
  process.stdout.write(`${JSON.stringify({ event: 'ready', pid: process.pid, owner: services.dispatcher.owner })}\n`)
  let intentsCheckedAt = 0
  while (!stopping) {
    // Work whose process died before doing it (queued mail of appointment writes, forgot-password requests); due
    // only a grace period later, so a look every few seconds is plenty.
    if (Date.now() - intentsCheckedAt > 5_000) {
      intentsCheckedAt = Date.now()
      await takeOverOrphanedWork(payload)
    }
    const stats = await services.dispatcher.runOnce().catch((error: unknown) => {
      process.stderr.write(`dispatch error: ${(error as Error)?.stack ?? String(error)}\n`)
      return undefined
    })
    const progressed = stats ? stats.sent + stats.retry + stats.failed + stats.cancelled : 0
    if (stats && progressed > 0) {
      totals.sent += stats.sent
      totals.retry += stats.retry
      totals.failed += stats.failed
      totals.cancelled += stats.cancelled
      process.stdout.write(`${JSON.stringify({ event: 'batch', pid: process.pid, ...stats, totals })}\n`)
      continue
    }
    // Nothing due, or everything due is in another process's hands: wait for the next poll.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, services.settings.pollMs)
      wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }
  await flushEmailKicks()
  process.stdout.write(`${JSON.stringify({ event: 'stopped', pid: process.pid, totals })}\n`)
  await payload.destroy()
  process.exit(0)
}

main().catch((error: unknown) => {
  process.stderr.write(`dispatch-emails failed: ${(error as Error)?.stack ?? String(error)}\n`)
  process.exit(1)
})
