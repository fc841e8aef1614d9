/** Outbox and dispatcher settings from the environment (documented in docs/email.md). */
import { parseReminderOffsets } from '../reminders/timing'

export type EmailSettings = {
  fromAddress: string
  fromName: string
  /** Attempts per message before it is marked `failed` (a re-queue by an admin grants as many again). */
  maxAttempts: number
  /** A message `sending` for longer than this is presumed abandoned; anyone may then claim the next attempt. */
  leaseMs: number
  /** First retry delay; doubles per attempt up to `retryMaxMs`, with jitter. */
  retryBaseMs: number
  retryMaxMs: number
  /** Longest one SES call may take before it counts as a transient failure. Must stay well under `leaseMs`. */
  sendTimeoutMs: number
  /** Due messages read per query, and sent in parallel per process. */
  batchSize: number
  concurrency: number
  /** node-schedule cron for the in-server tick; EMAIL_DISPATCH_INTERVAL_MS (if set) replaces it with a fixed interval. */
  cron: string
  intervalMs?: number
  /** Idle wait of the stand-alone dispatcher (scripts/dispatch-emails.ts) between empty polls. */
  pollMs: number
  reminderOffsetsMinutes: number[]
  /** Test and benchmark aid only (ignored when NODE_ENV=production): wait this long after claiming, before sending. */
  testSendDelayMs: number
}

type Env = Record<string, string | undefined>

function readInt(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`Environment variable ${name} must be a whole number of at least ${min}, got "${raw}"`)
  }
  return value
}

export function emailSettingsFromEnv(env: Env = process.env): EmailSettings {
  const leaseMs = readInt(env, 'EMAIL_LEASE_MS', 120_000, 1)
  const intervalMs = env.EMAIL_DISPATCH_INTERVAL_MS ? readInt(env, 'EMAIL_DISPATCH_INTERVAL_MS', 60_000, 50) : undefined
  return {
    fromAddress: env.EMAIL_FROM_ADDRESS || 'no-reply@tutortrack.local',
    fromName: env.EMAIL_FROM_NAME || 'TutorTrack',
    maxAttempts: readInt(env, 'EMAIL_MAX_ATTEMPTS', 8, 1),
    leaseMs,
    retryBaseMs: readInt(env, 'EMAIL_RETRY_BASE_MS', 30_000, 1),
    retryMaxMs: readInt(env, 'EMAIL_RETRY_MAX_MS', 60 * 60_000, 1),
    sendTimeoutMs: readInt(env, 'EMAIL_SEND_TIMEOUT_MS', Math.max(1, Math.min(30_000, Math.floor(leaseMs / 2))), 1),
    batchSize: readInt(env, 'EMAIL_DISPATCH_BATCH', 50, 1),
    concurrency: readInt(env, 'EMAIL_DISPATCH_CONCURRENCY', 4, 1),
    cron: env.EMAIL_DISPATCH_CRON || '* * * * *',
    intervalMs,
    pollMs: readInt(env, 'EMAIL_DISPATCH_POLL_MS', 1_000, 10),
    reminderOffsetsMinutes: parseReminderOffsets(env.REMINDER_OFFSETS_MINUTES),
    testSendDelayMs: env.NODE_ENV === 'production' ? 0 : readInt(env, 'EMAIL_TEST_SEND_DELAY_MS', 0),
  }
}
