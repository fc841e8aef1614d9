/**
 * A local TutorTrack cluster: N production server processes behind HAProxy, the way the app runs in production
 * (replicas on one shared database, a load balancer that health-checks /readyz).
 *
 * Library:
 *   const cluster = await startCluster({ replicas: 3, balance: 'roundrobin', retries: true })
 *   cluster.url                         // the load balancer
 *   await cluster.addReplica()          // start a process, then add it to HAProxy at run time
 *   await cluster.drainAndRemoveReplica('r2')
 *   await cluster.killReplica('r1', 'SIGKILL')
 *   await cluster.restartReplica('r1')  // drain, SIGTERM, start again on the same port, back in rotation
 *   await cluster.stop()
 *
 * CLI (`npm run cluster`, stays up until Ctrl-C):
 *   tsx scripts/cluster.ts [--replicas N] [--balance roundrobin|leastconn] [--no-retries] [--port N] [--no-seed] [--app-rate-limits]
 *   Type `add`, `remove <name>`, `kill <name>`, `restart <name>`, `status` or `rolling` on stdin while it runs.
 *
 * Scaling never restarts HAProxy: servers are added and removed through its runtime API (a unix socket), see
 * docs/cluster.md for the configuration and the drain sequence.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'

import { RATE_LIMIT_DEFAULTS, rateLimitEnvName } from '../src/security/config'
import { ensureProductionBuild } from './ensure-build'
import { findFreePort, startLocalDatabase, type LocalDatabase } from './local-db'
import { startLocalSes, type LocalSes } from './local-ses'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const HOST = '127.0.0.1'
const BACKEND = 'be_app'
const MIN_HAPROXY = [2, 6] as const

export type BalanceAlgorithm = 'roundrobin' | 'leastconn'

export interface HealthCheckOptions {
  /** Interval between checks of one server (ms, default 500). */
  interMs?: number
  /** Consecutive failed checks before a server is marked DOWN (default 2). */
  fall?: number
  /** Consecutive passed checks before a DOWN server is marked UP again (default 2). */
  rise?: number
  /** How long one check may wait for /readyz (ms, default 3000: longer than the app's 2 s database ping). */
  timeoutMs?: number
}

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

export interface ReplicaInfo {
  name: string
  port: number
  pid: number
  /** The replica itself, bypassing the balancer. */
  url: string
}

export interface ServerStat {
  name: string
  /** HAProxy's view: UP, DOWN, MAINT, DRAIN, "UP 1/2", "DOWN 1/2", NOLB, ... */
  status: string
  /** Requests (streams) in flight on this server now. */
  scur: number
  /** Requests sent to this server since it was added. */
  stot: number
  hrsp2xx: number
  hrsp4xx: number
  hrsp5xx: number
  /** Requests retried / redispatched away from this server. */
  wretr: number
  wredis: number
  /** Connection and response errors. */
  econ: number
  eresp: number
  checkStatus: string
  raw: Record<string, string>
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

// ---------------------------------------------------------------------------------------------------------
// HAProxy

export function findHaproxy(): string {
  const found = findOnPath('haproxy')
  if (!found) {
    throw new Error(
      [
        'The local cluster needs HAProxy >= 2.6 as its load balancer, and `haproxy` is not on PATH. Install it:',
        '  Debian/Ubuntu:  sudo apt-get install -y haproxy',
        '  macOS:          brew install haproxy',
        '  Fedora/RHEL:    sudo dnf install -y haproxy',
      ].join('\n'),
    )
  }
  const version = spawnSync(found, ['-v'], { encoding: 'utf8' }).stdout ?? ''
  const match = /version (\d+)\.(\d+)/i.exec(version)
  if (!match) throw new Error(`could not read the HAProxy version from \`${found} -v\`:\n${version}`)
  const [major, minor] = [Number(match[1]), Number(match[2])]
  if (major < MIN_HAPROXY[0] || (major === MIN_HAPROXY[0] && minor < MIN_HAPROXY[1])) {
    throw new Error(`HAProxy ${major}.${minor} at ${found} is too old: the cluster adds servers at run time with health checks, which needs 2.6 or newer.`)
  }
  return found
}

type HaproxyConfig = {
  port: number
  serverTimeoutMs: number
  socketPath: string
  balance: BalanceAlgorithm
  retries: boolean
  health: Required<HealthCheckOptions>
}

/** Options every server gets; dynamic servers do not inherit `default-server`, so `add server` passes these too. */
export function serverOptions(health: Required<HealthCheckOptions>): string {
  // Passive checks too: two connection errors in live traffic (a crashed replica) mark the server DOWN at once,
  // so retries stop being dispatched to it before the next active check.
  return `check inter ${health.interMs} fall ${health.fall} rise ${health.rise} observe layer4 error-limit 2 on-error mark-down`
}

export function haproxyConfig({ port, socketPath, balance, retries, health, serverTimeoutMs }: HaproxyConfig): string {
  const retryLines = retries
    ? [
        '  # Retry a failed idempotent request up to 3 times, each time on another replica (redispatch 1):',
        '  # a refused connection, a connection closed before any response (a replica killed mid-request),',
        '  # a response timeout or a 500/502/503/504.',
        '  retries 3',
        '  retry-on all-retryable-errors',
        '  option redispatch 1',
      ]
    : [
        "  # No second attempts at all: a request sent to a replica gets that replica's answer or an error.",
        '  retries 0',
        '  retry-on none',
        '  no option redispatch',
      ]
  return [
    '# Generated by scripts/cluster.ts. Servers are not listed here: every replica is added (and removed)',
    '# through the runtime API on the stats socket, so scaling never restarts or reloads HAProxy.',
    'global',
    `  stats socket ${socketPath} mode 600 level admin expose-fd listeners`,
    '  stats timeout 30s',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  option dontlognull',
    '  timeout connect 2s',
    '  timeout client 30s',
    `  timeout server ${serverTimeoutMs}ms`,
    '  timeout queue 10s',
    '  timeout http-request 10s',
    "  # Idle client keep-alive: well below the app's keepAliveTimeout (65 s), so an idle connection is always",
    '  # closed by HAProxy first and HAProxy never reuses a connection the app is closing.',
    '  timeout http-keep-alive 15s',
    `  # A check waits for /readyz longer than the app's 2 s database ping, so a slow database reads as 503, not as a timeout.`,
    `  timeout check ${health.timeoutMs}ms`,
    ...retryLines,
    '',
    'frontend fe_http',
    `  bind ${HOST}:${port}`,
    '  # The client address for the app (rate limits, audit log); the app trusts it from TRUSTED_PROXIES only.',
    '  option forwardfor',
    '  # Log only what went wrong (errors, retries, redispatches, timeouts) to stderr.',
    '  log stderr format raw local0 info',
    '  option httplog',
    '  option dontlog-normal',
    `  default_backend ${BACKEND}`,
    '',
    `backend ${BACKEND}`,
    `  balance ${balance}`,
    '  # Active health checks: a replica is in rotation only while /readyz answers 200 (database reachable,',
    `  # not draining); ${health.fall} failed checks ${health.interMs} ms apart take it out, ${health.rise} passed checks bring it back.`,
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    '  # Never replay a non-idempotent request (booking, cancel, login, PATCH, DELETE): only GET/HEAD/OPTIONS may be',
    '  # retried after they reached a replica. Connection failures (nothing was sent) are still retried.',
    '  http-request disable-l7-retry unless METH_GET || METH_OPTIONS',
    `  default-server ${serverOptions(health)}`,
    '',
  ].join('\n')
}

/** One command over HAProxy's runtime API (non-interactive: HAProxy answers and closes the connection). */
export function haproxyCommand(socketPath: string, command: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath)
    let answer = ''
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`HAProxy runtime API did not answer "${command}" within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(`${command}\n`))
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`HAProxy runtime API (${socketPath}): ${error.message}`))
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(answer.trim())
    })
  })
}

export function parseServerStats(csv: string, backend = BACKEND): ServerStat[] {
  const lines = csv.split('\n').filter((line) => line.trim() !== '')
  const header = lines.shift()?.replace(/^#\s*/, '').split(',') ?? []
  const stats: ServerStat[] = []
  for (const line of lines) {
    const values = line.split(',')
    const raw: Record<string, string> = {}
    header.forEach((key, i) => (raw[key] = values[i] ?? ''))
    if (raw.pxname !== backend || raw.svname === 'BACKEND' || raw.svname === 'FRONTEND') continue
    const n = (key: string) => Number(raw[key] || 0)
    stats.push({
      name: raw.svname,
      status: raw.status,
      scur: n('scur'),
      stot: n('stot'),
      hrsp2xx: n('hrsp_2xx'),
      hrsp4xx: n('hrsp_4xx'),
      hrsp5xx: n('hrsp_5xx'),
      wretr: n('wretr'),
      wredis: n('wredis'),
      econ: n('econ'),
      eresp: n('eresp'),
      checkStatus: raw.check_status,
      raw,
    })
  }
  return stats
}

// ---------------------------------------------------------------------------------------------------------
// Processes

class Tail {
  private text = ''
  constructor(private readonly max = 64_000) {}
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.max)
  }
  toString(): string {
    return this.text
  }
}

type ReplicaProcess = {
  name: string
  port: number
  env: Record<string, string>
  child: ChildProcess
  output: Tail
  exited: Promise<void>
}

const children = new Set<ChildProcess>()
let exitHookInstalled = false

function track(child: ChildProcess): void {
  children.add(child)
  child.once('exit', () => children.delete(child))
  if (exitHookInstalled) return
  exitHookInstalled = true
  // Last resort when the owner dies without stop(): no replica or HAProxy outlives it.
  process.on('exit', () => {
    for (const running of children) running.kill('SIGKILL')
  })
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (!isRunning(child)) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A replica exits when its parent goes away, even by SIGKILL: its stdin is a pipe from us, and this preloaded
 * snippet turns the pipe's end into a SIGTERM (the app's own graceful shutdown). Nothing is added to the app.
 */
const PARENT_WATCHDOG = `data:text/javascript,${encodeURIComponent(
  "process.stdin.on('end',()=>process.kill(process.pid,'SIGTERM'));process.stdin.on('error',()=>{});process.stdin.resume();process.stdin.unref();",
)}`

// ---------------------------------------------------------------------------------------------------------

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? ((message: string) => process.stderr.write(`[cluster] ${message}\n`))
  const balance = options.balance ?? 'roundrobin'
  const retries = options.retries ?? true
  const health: Required<HealthCheckOptions> = { interMs: 500, fall: 2, rise: 2, timeoutMs: 3_000, ...options.health }
  const startTimeoutMs = options.startTimeoutMs ?? 90_000
  const inherit = options.output === 'inherit'

  const haproxyBinary = findHaproxy()
  ensureProductionBuild((message) => log(message))

  const cleanups: (() => Promise<void>)[] = []
  let stopping = false
  const cleanup = async () => {
    stopping = true
    for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => log(`cleanup: ${String(error)}`))
  }

  try {
    // Shared services: the database and the mail server, unless given.
    let databaseUri = options.databaseUri ?? options.env?.DATABASE_URI ?? process.env.DATABASE_URI
    if (!databaseUri) {
      const database: LocalDatabase = await startLocalDatabase({ dataDir: options.dataDir ?? path.join(repoRoot, '.data', 'cluster'), log })
      cleanups.push(() => database.stop())
      databaseUri = database.uri
    }
    let sesEndpoint = options.env?.SES_ENDPOINT ?? process.env.SES_ENDPOINT
    if (!sesEndpoint) {
      const ses: LocalSes = await startLocalSes({ log })
      cleanups.push(() => ses.stop())
      sesEndpoint = ses.endpoint
    }

    const lbPort = options.port || (await findFreePort())
    const url = `http://${HOST}:${lbPort}`
    const baseEnv: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_OPTIONS: '',
      AWS_REGION: process.env.AWS_REGION || 'us-east-1',
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'local',
      PAYLOAD_SECRET: process.env.PAYLOAD_SECRET || 'tutortrack-local-cluster-secret',
      SERVER_URL: url,
      // The balancer is the proxy in front of every replica: trust its X-Forwarded-For for the client IP.
      TRUSTED_PROXIES: process.env.TRUSTED_PROXIES || HOST,
      ...(options.highRateLimits === false ? {} : highRateLimits()),
      ...options.env,
      DATABASE_URI: databaseUri,
      SES_ENDPOINT: sesEndpoint,
      NODE_ENV: 'production',
    }

    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutortrack-cluster-'))
    cleanups.push(async () => fs.rmSync(workDir, { recursive: true, force: true }))
    const socketPath = path.join(workDir, 'haproxy.sock')
    const configPath = path.join(workDir, 'lb.cfg')
    fs.writeFileSync(configPath, haproxyConfig({ port: lbPort, socketPath, balance, retries, health, serverTimeoutMs: options.serverTimeoutMs ?? 30_000 }))

    const check = spawnSync(haproxyBinary, ['-c', '-q', '-f', configPath], { encoding: 'utf8' })
    if (check.status !== 0) throw new Error(`HAProxy rejected ${configPath}:\n${check.stdout}${check.stderr}`)

    const haproxyOutput = new Tail()
    const haproxy = spawn(haproxyBinary, ['-db', '-f', configPath], { stdio: ['ignore', 'pipe', 'pipe'] })
    track(haproxy)
    for (const stream of [haproxy.stdout, haproxy.stderr]) {
      stream?.setEncoding('utf8')
      stream?.on('data', (chunk: string) => {
        haproxyOutput.push(chunk)
        if (inherit) process.stderr.write(prefixLines('[haproxy] ', chunk))
      })
    }
    haproxy.once('exit', (code, signal) => {
      if (!stopping) log(`HAProxy exited unexpectedly (${signal ?? `code ${code}`}):\n${haproxyOutput}`)
    })
    cleanups.push(async () => {
      haproxy.kill('SIGTERM')
      await waitForExit(haproxy, 5_000)
    })

    const runtime = (command: string) => haproxyCommand(socketPath, command)
    const deadline = Date.now() + 10_000
    for (;;) {
      if (!isRunning(haproxy)) throw new Error(`HAProxy exited at start:\n${haproxyOutput}`)
      if (fs.existsSync(socketPath) && (await runtime('show info').catch(() => '')).includes('Name: HAProxy')) break
      if (Date.now() > deadline) throw new Error(`HAProxy did not open its runtime socket within 10 s:\n${haproxyOutput}`)
      await sleep(50)
    }
    log(`HAProxy ${balance} on ${url} (config ${configPath}, runtime API ${socketPath})`)

    // -------------------------------------------------------------------------------------------------------

    const replicas = new Map<string, ReplicaProcess>()
    let nextIndex = 1

    const expectAnswer = async (command: string, ok: (answer: string) => boolean) => {
      const answer = await runtime(command)
      if (!ok(answer)) throw new Error(`HAProxy refused "${command}": ${answer || '(no answer)'}`)
      return answer
    }

    const serverStats = async () => parseServerStats(await runtime('show stat'))

    const statOf = async (name: string) => (await serverStats()).find((stat) => stat.name === name)

    const waitForStatus = async (name: string, status: string, timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs
      let last: ServerStat | undefined
      for (;;) {
        last = await statOf(name)
        if (last?.status === status) return
        if (Date.now() > until) {
          throw new Error(`server ${name} is "${last?.status ?? 'absent'}" (check: ${last?.checkStatus ?? '-'}), not ${status}, after ${timeoutMs} ms`)
        }
        await sleep(50)
      }
    }

    const spawnReplica = async (name: string, port: number, env: Record<string, string>): Promise<ReplicaProcess> => {
      const output = new Tail()
      const child = spawn(process.execPath, ['--import', 'tsx/esm', '--import', PARENT_WATCHDOG, 'src/server.ts'], {
        cwd: repoRoot,
        env: { ...process.env, ...baseEnv, ...env, PORT: String(port) },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      track(child)
      child.stdin?.on('error', () => {})
      for (const stream of [child.stdout, child.stderr]) {
        stream?.setEncoding('utf8')
        stream?.on('data', (chunk: string) => {
          output.push(chunk)
          if (inherit) process.stderr.write(prefixLines(`[${name}] `, chunk))
        })
      }
      const exited = new Promise<void>((resolve) =>
        child.once('exit', () => {
          child.stdin?.destroy()
          resolve()
        }),
      )
      const replica: ReplicaProcess = { name, port, env, child, output, exited }
      // Ready = the replica's own /readyz says 200 (database reachable), before the balancer is told about it.
      const until = Date.now() + startTimeoutMs
      for (;;) {
        if (!isRunning(child))
          throw new Error(`replica ${name} exited during start (${child.exitCode ?? child.signalCode}):\n${output.toString().slice(-3_000)}`)
        const ready = await fetch(`http://${HOST}:${port}/readyz`, { signal: AbortSignal.timeout(3_000) }).then(
          (response) => response.status === 200,
          () => false,
        )
        if (ready) return replica
        if (Date.now() > until) {
          child.kill('SIGKILL')
          throw new Error(`replica ${name} was not ready within ${startTimeoutMs} ms:\n${output.toString().slice(-3_000)}`)
        }
        await sleep(200)
      }
    }

    const info = (replica: ReplicaProcess): ReplicaInfo => ({
      name: replica.name,
      port: replica.port,
      pid: replica.child.pid ?? -1,
      url: `http://${HOST}:${replica.port}`,
    })

    const addReplica = async (addOptions: { env?: Record<string, string>; name?: string } = {}): Promise<ReplicaInfo> => {
      const name = addOptions.name ?? `r${nextIndex++}`
      if (replicas.has(name)) throw new Error(`a replica named ${name} exists already`)
      const port = await findFreePort()
      const replica = await spawnReplica(name, port, addOptions.env ?? {})
      replicas.set(name, replica)
      // A dynamic server starts in maintenance with its checks off; it takes no traffic until enabled,
      // and then only once its first checks pass.
      await expectAnswer(`add server ${BACKEND}/${name} ${HOST}:${port} ${serverOptions(health)}`, (answer) => /New server registered/i.test(answer))
      await expectAnswer(`enable health ${BACKEND}/${name}`, (answer) => answer === '')
      await expectAnswer(`enable server ${BACKEND}/${name}`, (answer) => answer === '')
      await waitForStatus(name, 'UP')
      log(`replica ${name} (pid ${replica.child.pid}) on port ${port} is UP`)
      return info(replica)
    }

    const replicaNamed = (name: string) => {
      const replica = replicas.get(name)
      if (!replica) throw new Error(`no replica named ${name} (have: ${[...replicas.keys()].join(', ') || 'none'})`)
      return replica
    }

    /** Takes a server out of rotation and waits for the requests it is serving to finish. */
    const drainInBalancer = async (name: string, timeoutMs = 30_000) => {
      await expectAnswer(`set server ${BACKEND}/${name} state drain`, (answer) => answer === '')
      const until = Date.now() + timeoutMs
      while (((await statOf(name))?.scur ?? 0) > 0 && Date.now() < until) await sleep(50)
      await expectAnswer(`set server ${BACKEND}/${name} state maint`, (answer) => answer === '')
    }

    const stopProcess = async (replica: ReplicaProcess, signal: NodeJS.Signals = 'SIGTERM') => {
      if (isRunning(replica.child)) replica.child.kill(signal)
      await waitForExit(replica.child, 40_000)
    }

    const drainAndRemoveReplica = async (name: string) => {
      const replica = replicaNamed(name)
      await drainInBalancer(name)
      await stopProcess(replica)
      // `del server` refuses while HAProxy still holds (idle) connections to the server; they close with the process.
      const until = Date.now() + 10_000
      for (;;) {
        const answer = await runtime(`del server ${BACKEND}/${name}`)
        if (/Server deleted/i.test(answer)) break
        if (Date.now() > until) throw new Error(`HAProxy did not delete ${name}: ${answer}`)
        await runtime(`shutdown sessions server ${BACKEND}/${name}`).catch(() => '')
        await sleep(100)
      }
      replicas.delete(name)
      log(`replica ${name} drained, stopped and removed`)
    }

    const killReplica = async (name: string, signal: NodeJS.Signals = 'SIGKILL') => {
      const replica = replicaNamed(name)
      await stopProcess(replica, signal)
      log(`replica ${name} killed with ${signal}`)
    }

    const restartReplica = async (name: string): Promise<ReplicaInfo> => {
      const replica = replicaNamed(name)
      if (isRunning(replica.child)) {
        await drainInBalancer(name)
        await stopProcess(replica)
      } else {
        await expectAnswer(`set server ${BACKEND}/${name} state maint`, (answer) => answer === '')
      }
      const fresh = await spawnReplica(name, replica.port, replica.env)
      replicas.set(name, fresh)
      await expectAnswer(`set server ${BACKEND}/${name} state ready`, (answer) => answer === '')
      await waitForStatus(name, 'UP')
      log(`replica ${name} restarted (pid ${fresh.child.pid}) and UP`)
      return info(fresh)
    }

    cleanups.push(async () => {
      await Promise.all(
        [...replicas.values()].map(async (replica) => {
          await runtime(`set server ${BACKEND}/${replica.name} state maint`).catch(() => '')
          await stopProcess(replica)
          replica.child.stdin?.destroy()
        }),
      )
      replicas.clear()
    })

    const initial = options.replicas ?? 3
    // Start the processes in parallel; add them to the balancer in name order.
    const names = Array.from({ length: initial }, () => `r${nextIndex++}`)
    const started = await Promise.all(names.map(async (name) => spawnReplica(name, await findFreePort(), {})))
    for (const replica of started) {
      replicas.set(replica.name, replica)
      await expectAnswer(`add server ${BACKEND}/${replica.name} ${HOST}:${replica.port} ${serverOptions(health)}`, (answer) =>
        /New server registered/i.test(answer),
      )
      await expectAnswer(`enable health ${BACKEND}/${replica.name}`, (answer) => answer === '')
      await expectAnswer(`enable server ${BACKEND}/${replica.name}`, (answer) => answer === '')
    }
    for (const replica of started) await waitForStatus(replica.name, 'UP')
    log(`${initial} replica(s) UP behind ${url}`)

    return {
      url,
      get replicas() {
        return [...replicas.values()].map(info)
      },
      haproxy: { pid: haproxy.pid ?? -1, configPath, socketPath, output: () => haproxyOutput.toString() },
      databaseUri,
      runtime,
      serverStats,
      waitForStatus,
      addReplica,
      drainAndRemoveReplica,
      killReplica,
      restartReplica,
      replicaOutput: (name) => replicas.get(name)?.output.toString() ?? '',
      stop: cleanup,
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}

/** Every RATE_LIMIT_<ACTION>_PER_<SUBJECT> the app knows (src/security/config.ts), raised far above any local load. */
function highRateLimits(): Record<string, string> {
  return Object.fromEntries(Object.keys(RATE_LIMIT_DEFAULTS).map((rule) => [rateLimitEnvName(rule as keyof typeof RATE_LIMIT_DEFAULTS), '1000000']))
}

function prefixLines(prefix: string, chunk: string): string {
  return chunk.replace(/^(?=.)/gm, prefix)
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, name)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      if (fs.statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------------
// CLI

type CliOptions = { replicas: number; balance: BalanceAlgorithm; retries: boolean; port: number; seed: boolean; appRateLimits: boolean }

function parseCliArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    replicas: 3,
    balance: 'roundrobin',
    retries: true,
    port: Number(process.env.CLUSTER_PORT) || 8080,
    seed: true,
    appRateLimits: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const next = argv[++i]
      if (next === undefined) throw new Error(`missing value for ${arg}`)
      return next
    }
    switch (arg) {
      case '--replicas':
        options.replicas = Number.parseInt(value(), 10)
        if (!(options.replicas >= 1)) throw new Error('--replicas must be a positive integer')
        break
      case '--balance': {
        const balance = value()
        if (balance !== 'roundrobin' && balance !== 'leastconn') throw new Error('--balance must be roundrobin or leastconn')
        options.balance = balance
        break
      }
      case '--no-retries':
        options.retries = false
        break
      case '--port':
        options.port = Number.parseInt(value(), 10)
        break
      case '--no-seed':
        options.seed = false
        break
      case '--app-rate-limits':
        options.appRateLimits = true
        break
      case '-h':
      case '--help':
        process.stdout.write(
          'Usage: npm run cluster -- [--replicas N] [--balance roundrobin|leastconn] [--no-retries] [--port N] [--no-seed] [--app-rate-limits]\n' +
            'Starts N production replicas behind HAProxy (load balancer on 127.0.0.1:8080 by default; --port 0 picks a free one).\n' +
            'Rate limits are raised for load testing unless --app-rate-limits is given.\n' +
            'While it runs, type: status | add | remove <name> | kill <name> | restart <name> | rolling | help.  Ctrl-C stops everything.\n',
        )
        process.exit(0)
        break
      default:
        throw new Error(`unknown argument: ${arg} (try --help)`)
    }
  }
  return options
}

async function printStatus(cluster: Cluster): Promise<void> {
  const stats = new Map((await cluster.serverStats()).map((stat) => [stat.name, stat]))
  console.log(`load balancer  ${cluster.url}`)
  for (const replica of cluster.replicas) {
    const stat = stats.get(replica.name)
    console.log(
      `  ${replica.name.padEnd(4)} port ${replica.port}  pid ${String(replica.pid).padEnd(7)} ${(stat?.status ?? '?').padEnd(9)} requests ${stat?.stot ?? 0}  in flight ${stat?.scur ?? 0}`,
    )
  }
}

async function main(): Promise<void> {
  const cli = parseCliArgs(process.argv.slice(2))
  const cluster = await startCluster({
    replicas: cli.replicas,
    balance: cli.balance,
    retries: cli.retries,
    port: cli.port,
    highRateLimits: !cli.appRateLimits,
    log: (message) => console.log(`[cluster] ${message}`),
  })

  if (cli.seed) {
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx')
    const seeded = spawnSync(tsx, ['scripts/seed.ts', '--if-empty'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URI: cluster.databaseUri, SERVER_URL: cluster.url },
      stdio: 'inherit',
    })
    if (seeded.status !== 0) console.log('[cluster] seeding failed; the cluster runs anyway')
  }

  console.log('')
  await printStatus(cluster)
  console.log(
    `\nOpen ${cluster.url}/ (admin: ${cluster.url}/admin). Commands: status | add | remove <name> | kill <name> | restart <name> | rolling. Ctrl-C stops.`,
  )

  let stopping = false
  const shutdown = async (code: number) => {
    if (stopping) return
    stopping = true
    console.log('[cluster] stopping replicas, HAProxy and local services…')
    await cluster.stop()
    process.exit(code)
  }
  process.on('SIGINT', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))

  const commands = readline.createInterface({ input: process.stdin })
  let busy = Promise.resolve()
  commands.on('line', (line) => {
    const [command, name] = line.trim().split(/\s+/)
    busy = busy.then(async () => {
      try {
        switch (command) {
          case '':
            return
          case 'status':
            break
          case 'add':
            await cluster.addReplica()
            break
          case 'remove':
            await cluster.drainAndRemoveReplica(name)
            break
          case 'kill':
            await cluster.killReplica(name, 'SIGKILL')
            break
          case 'restart':
            await cluster.restartReplica(name)
            break
          case 'rolling':
            for (const replica of cluster.replicas) await cluster.restartReplica(replica.name)
            break
          default:
            console.log('commands: status | add | remove <name> | kill <name> | restart <name> | rolling')
            return
        }
        await printStatus(cluster)
      } catch (error) {
        console.log(`[cluster] ${error instanceof Error ? error.message : String(error)}`)
      }
    })
  })
  // Without a terminal (stdin closed), keep running until a signal.
  setInterval(() => {}, 1 << 30)
}

const invokedDirectly = (() => {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return fs.realpathSync(path.resolve(entry)) === fs.realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
})()

if (invokedDirectly) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
