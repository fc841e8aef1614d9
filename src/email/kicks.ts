import type { Payload } from 'payload'

import { logger } from '../lib/logger'
import { onRequestsIdle, requestsInFlight } from '../lib/requestsInFlight'

import { BackgroundWork } from './backgroundWork'
import { emailServicesFor } from './services'

/**
 * Immediate kicks: right after a message is queued, this process tries to send it in the background, so a
 * confirmation or verification email goes out within a second or so. The request never waits for it; the
 * scheduled dispatcher is the backstop if the kick fails or the process dies.
 */
const inFlight = new Set<Promise<unknown>>()

export function kickDispatch(payload: Payload, ids: readonly string[]): void {
  if (ids.length === 0 || process.env.EMAIL_KICK_DISABLED === '1') return
  const run = new Promise<void>((resolve) => setImmediate(resolve))
    .then(async () => {
      const { dispatcher } = await emailServicesFor(payload)
      return dispatcher.dispatchIds(ids)
    })
    .catch((error: unknown) => {
      payload.logger.warn({ event: 'email.kick_failed', err: error }, 'Immediate email send failed; the scheduled dispatcher will retry')
    })
    .finally(() => inFlight.delete(run))
  inFlight.add(run)
}

/** Email work after a write: see backgroundWork.ts. EMAIL_BACKGROUND_BACKLOG and …_YIELD_MS tune it. */
const envWholeNumber = (name: string, fallback: number) => () => {
  const raw = process.env[name]?.trim()
  const value = Number(raw)
  return raw && Number.isInteger(value) && value >= 0 ? value : fallback
}
const backgroundWork = new BackgroundWork({
  maxParallel: 8,
  maxWaiting: envWholeNumber('EMAIL_BACKGROUND_BACKLOG', 1000),
  yieldMs: envWholeNumber('EMAIL_BACKGROUND_YIELD_MS', 30_000),
  requestsInFlight,
  onRequestsIdle,
  onError: (error) => logger.warn({ event: 'email.background_failed', err: error }, 'Background email work failed; a dispatcher tick will finish it'),
})

export function scheduleEmailWork(task: () => Promise<unknown>): { done: Promise<void>; backlogged: boolean } {
  return backgroundWork.schedule(task)
}

/** Waits for the kicks and background email work started so far (graceful shutdown, tests). */
export async function flushEmailKicks(): Promise<void> {
  await backgroundWork.flush()
  while (inFlight.size > 0) await Promise.allSettled([...inFlight])
}
