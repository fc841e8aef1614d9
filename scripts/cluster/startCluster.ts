// startCluster: N production replicas behind HAProxy on one shared database (docs/cluster.md).
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { RATE_LIMIT_DEFAULTS, rateLimitEnvName } from '../../src/security/config'
import { ensureProductionBuild } from '../ensure-build'
import { findFreePort, startLocalDatabase, type LocalDatabase } from '../local-db'
import { startLocalSes, type LocalSes } from '../local-ses'
import { findHaproxy, HOST, startBalancer, type BalanceAlgorithm, type HealthCheckOptions, type ServerStat } from './haproxy'
import { replicaSet, type ReplicaInfo } from './replicas'

export type { BalanceAlgorithm, HealthCheckOptions, ServerStat } from './haproxy'
export type { ReplicaInfo } from './replicas'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface ClusterOptions {
  replicas?: number
  /** Shared database for every replica; default env.DATABASE_URI, then process.env.DATABASE_URI, else a local one. */
  databaseUri?: string
  /** Extra environment for every replica (on top of process.env). */
  env?: Record<string, string>
  balance?: BalanceAlgorithm
  /**
   * true: HAProxy retries failed idempotent requests (GET/HEAD/OPTIONS) on another replica
   * (`retries 3`, `retry-on all-retryable-errors`, `option redispatch 1`). Non-idempotent methods are never
   * replayed either way. false: `retries 0`, `retry-on none`: no second attempt of any kind.
   */
  retries?: boolean
  health?: HealthCheckOptions
  /** How long HAProxy waits for a replica's response before answering 504 (default 30 s). */
  serverTimeoutMs?: number
  /** Load balancer port on 127.0.0.1 (default: a free port). */
  port?: number
  /** Where to put the local database when one is started (default <repo>/.data/cluster). */
  dataDir?: string
  /** Progress messages (default: stderr with a "[cluster]" prefix). */
  log?: (message: string) => void
  /** Replica and HAProxy output: 'buffer' keeps the last few KB per process (default), 'inherit' copies it to stderr. */
  output?: 'buffer' | 'inherit'
  /** Time a replica may take from spawn to ready (default 90 s). */
  startTimeoutMs?: number
  /**
   * true (default): every RATE_LIMIT_* limit is raised far above what a local load test sends, so tests measure
   * the cluster, not the limiter (the limiter still runs). false: the app's own limits. `env` overrides either.
   */
  highRateLimits?: boolean
}

export interface Cluster {
  url: string
  /** The replicas currently known to the balancer (live view). */
  readonly replicas: ReplicaInfo[]
  haproxy: { pid: number; configPath: string; socketPath: string; output: () => string }
  databaseUri: string
  /** Sends one command to HAProxy's runtime API and returns its answer. */
  runtime(command: string): Promise<string>
  serverStats(): Promise<ServerStat[]>
  /** Waits until HAProxy reports `status` (UP, DOWN, MAINT, DRAIN) for the server. */
  waitForStatus(name: string, status: string, timeoutMs?: number): Promise<void>
  addReplica(options?: { env?: Record<string, string>; name?: string }): Promise<ReplicaInfo>
  drainAndRemoveReplica(name: string): Promise<void>
  killReplica(name: string, signal?: NodeJS.Signals): Promise<void>
  restartReplica(name: string): Promise<ReplicaInfo>
  /** The last output of a replica process, for diagnostics. */
  replicaOutput(name: string): string
  stop(): Promise<void>
}

type Defer = (step: () => Promise<void>) => void

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? ((message: string) => process.stderr.write(`[cluster] ${message}\n`))
  const health: Required<HealthCheckOptions> = { interMs: 500, fall: 2, rise: 2, timeoutMs: 3_000, ...options.health }
  const inherit = options.output === 'inherit'

  const haproxyBinary = findHaproxy()
  ensureProductionBuild((message) => log(message))

  const cleanups: (() => Promise<void>)[] = []
  const defer: Defer = (step) => void cleanups.push(step)
  let stopping = false
  const cleanup = async () => {
    stopping = true
    for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => log(`cleanup: ${String(error)}`))
  }

  try {
    const { databaseUri, sesEndpoint } = await startSharedServices(options, log, defer)
    const lbPort = options.port || (await findFreePort())
    const url = `http://${HOST}:${lbPort}`
    const balancer = await startBalancer({
      binary: haproxyBinary,
      port: lbPort,
      balance: options.balance ?? 'roundrobin',
      retries: options.retries ?? true,
      health,
      serverTimeoutMs: options.serverTimeoutMs ?? 30_000,
      inherit,
      log,
      defer,
      isStopping: () => stopping,
    })

    const baseEnv = replicaEnvironment(options, { url, databaseUri, sesEndpoint })
    const replicas = replicaSet({ balancer, baseEnv, inherit, startTimeoutMs: options.startTimeoutMs ?? 90_000, log })
    defer(() => replicas.stopAll())
    const initial = options.replicas ?? 3
    await replicas.startInitial(initial)
    log(`${initial} replica(s) UP behind ${url}`)

    return {
      url,
      get replicas() {
        return replicas.list()
      },
      haproxy: { pid: balancer.pid, configPath: balancer.configPath, socketPath: balancer.socketPath, output: balancer.output },
      databaseUri,
      runtime: balancer.runtime,
      serverStats: balancer.serverStats,
      waitForStatus: balancer.waitForStatus,
      addReplica: replicas.add,
      drainAndRemoveReplica: replicas.drainAndRemove,
      killReplica: replicas.kill,
      restartReplica: replicas.restart,
      replicaOutput: replicas.output,
      stop: cleanup,
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}

/** The database and the mail server every replica shares: the given ones, else local ones stopped with the cluster. */
async function startSharedServices(options: ClusterOptions, log: (message: string) => void, defer: Defer) {
  let databaseUri = options.databaseUri ?? options.env?.DATABASE_URI ?? process.env.DATABASE_URI
  if (!databaseUri) {
    const database: LocalDatabase = await startLocalDatabase({ dataDir: options.dataDir ?? path.join(repoRoot, '.data', 'cluster'), log })
    defer(() => database.stop())
    databaseUri = database.uri
  }
  let sesEndpoint = options.env?.SES_ENDPOINT ?? process.env.SES_ENDPOINT
  if (!sesEndpoint) {
    const ses: LocalSes = await startLocalSes({ log })
    defer(() => ses.stop())
    sesEndpoint = ses.endpoint
  }
  return { databaseUri, sesEndpoint }
}

/** Environment of every replica: production mode, the shared services, the balancer as the one trusted proxy. */
function replicaEnvironment(
  options: ClusterOptions,
  shared: { url: string; databaseUri: string; sesEndpoint: string },
): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    NODE_OPTIONS: '',
    AWS_REGION: process.env.AWS_REGION || 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'local',
    PAYLOAD_SECRET: process.env.PAYLOAD_SECRET || 'tutortrack-local-cluster-secret',
    SERVER_URL: shared.url,
    // The balancer is the proxy in front of every replica: trust its X-Forwarded-For for the client IP.
    TRUSTED_PROXIES: process.env.TRUSTED_PROXIES || HOST,
    ...(options.highRateLimits === false ? {} : highRateLimits()),
    ...options.env,
    DATABASE_URI: shared.databaseUri,
    SES_ENDPOINT: shared.sesEndpoint,
    NODE_ENV: 'production',
  }
}

/** Every RATE_LIMIT_<ACTION>_PER_<SUBJECT> the app knows (src/security/config.ts), raised far above any local load. */
function highRateLimits(): Record<string, string> {
  return Object.fromEntries(Object.keys(RATE_LIMIT_DEFAULTS).map((rule) => [rateLimitEnvName(rule as keyof typeof RATE_LIMIT_DEFAULTS), '1000000']))
}
