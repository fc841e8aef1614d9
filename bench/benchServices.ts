// What every bench starts with: a fresh local database, a local SES server and the environment that points the
// app (servers, replicas and this process's own Payload) at them; plus the small measurements the benches share.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Payload } from 'payload'

import type { Tutor } from '../src/payload-types'
import { startLocalDatabase, type LocalDatabase } from '../scripts/local-db'
import { startLocalSes, type LocalSes } from '../scripts/local-ses'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The Deployment's NODE_OPTIONS (k8s/base/deployment.yaml): memory is measured with the heap bound production uses. */
export const DEPLOYMENT_NODE_OPTIONS = (() => {
  const yaml = fs.readFileSync(path.join(repoRoot, 'k8s/base/deployment.yaml'), 'utf8')
  return yaml.match(/name: NODE_OPTIONS\s+value: (.+)/)?.[1].trim() ?? ''
})()

export type BenchServices = {
  database: LocalDatabase
  ses: LocalSes
  /** The environment of the app under test; also copied into this process's environment. */
  env: Record<string, string>
  stop: () => Promise<void>
}

/**
 * A fresh database named `dbName` (never DATABASE_URI from the environment) and a local SES server. The limits are
 * off by default (`RATE_LIMIT_DISABLED`): a bench measures the code path, not the abuse limits.
 */
export async function startBenchServices(dbName: string, extraEnv: Record<string, string> = { RATE_LIMIT_DISABLED: 'true' }): Promise<BenchServices> {
  const database = await startLocalDatabase({ fresh: true, dbName, ignoreEnvironment: true, log: () => {} })
  const ses = await startLocalSes()
  const env = benchEnv(database.uri, ses.endpoint, extraEnv)
  // This process seeds through its own Payload, which reads the same variables. Outside production that Payload
  // also listens to a Next dev server's HMR socket (ws://localhost:3000), and another `npm run dev` on the machine
  // made it reload, and drop its database connection, in the middle of a soak's seeding.
  Object.assign(process.env, env, { DISABLE_PAYLOAD_HMR: 'true' })
  return {
    database,
    ses,
    env,
    stop: async () => {
      await ses.stop()
      await database.stop()
    },
  }
}

/** The app's environment against a bench's database and SES server (local credentials, quiet logs), plus `extra`. */
export function benchEnv(databaseUri: string, sesEndpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URI: databaseUri,
    SES_ENDPOINT: sesEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    PAYLOAD_SECRET: 'bench-secret',
    LOG_LEVEL: 'warn',
    ...extra,
  }
}

/** A process's resident set (VmRSS) in MB; 0 once it is gone. */
export function rssMb(pid: number): number {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)
    return match ? Number(match[1]) / 1024 : 0
  } catch {
    return 0
  }
}

/** The p-th percentile (0–100) of an ascending list, nearest rank; 0 for an empty one. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/** A bookable tutor for a bench: open all week, no notice, a year's horizon, 30- and 60-minute sessions. */
export async function createBenchTutor(payload: Payload, name: string, contactEmail: string): Promise<Tutor> {
  const allWeek = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, start: '00:00', end: '24:00' }))
  return (await payload.create({
    collection: 'tutors',
    data: {
      name,
      contactEmail,
      timeZone: 'Europe/London',
      subjects: ['mathematics'],
      sessionLengths: [30, 60],
      weeklyAvailability: allWeek as Tutor['weeklyAvailability'],
      policy: { minimumNoticeHours: 0, bookingHorizonDays: 365 },
      active: true,
    } as Tutor,
  })) as Tutor
}
