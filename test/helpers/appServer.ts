import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { SERVER_BUNDLE } from '../../scripts/build-server'
import { ensureProductionBuild } from '../../scripts/ensure-build'
import { RATE_LIMIT_DEFAULTS, rateLimitEnvName } from '../../src/security/config'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export type AppServer = {
  url: string
  port: number
  process: ChildProcess
  output: () => string
  /** Sends SIGTERM and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
  exited: Promise<number | null>
}

const PER_IP_LIMITS_OFF = Object.fromEntries(
  (Object.keys(RATE_LIMIT_DEFAULTS) as (keyof typeof RATE_LIMIT_DEFAULTS)[]).filter((name) => name.endsWith(':ip')).map((name) => [rateLimitEnvName(name), '0']),
)

/**
 * What a browser test's server needs on top of the defaults: COOKIE_SECURE=false, because the browser reaches it over
 * plain http; RATE_LIMIT_DISABLED, because every browser file signs in from 127.0.0.1 against one database, so the
 * per-IP limits (proven in securityRateLimit.test.ts) would be spent before the later files start.
 */
export const BROWSER_SERVER_ENV = { COOKIE_SECURE: 'false', RATE_LIMIT_DISABLED: 'true' } as const

/** The run's shared production server, as a browser test file sees it: it neither starts nor stops it. */
export type SharedAppServer = Pick<AppServer, 'url' | 'port' | 'output'>

/**
 * The browser project's one production server, started by test/setup/browserGlobalSetup.ts for the whole run (its
 * address and output file in the environment). Files create fixtures with unique names, as they always did on the
 * shared database.
 */
export function sharedAppServer(): SharedAppServer {
  const url = process.env.TUTORTRACK_TEST_APP_URL
  const outputFile = process.env.TUTORTRACK_TEST_APP_OUTPUT
  if (!url || !outputFile) throw new Error('No shared app server: browser tests run in the `browser` Jest project, whose global setup starts it.')
  return { url, port: Number(new URL(url).port), output: () => fs.readFileSync(outputFile, 'utf8') }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/**
 * Starts the real production server (`node dist/server.mjs`, as `npm start` and the
 * container do) on a free port, against the test database unless `env` says otherwise.
 */
export async function startAppServer(
  env: Record<string, string> = {},
  options: { timeoutMs?: number; nodeArgs?: string[]; /** Also appends the server's output to this file. */ outputFile?: string } = {},
): Promise<AppServer> {
  ensureProductionBuild()
  const port = Number(env.PORT) || (await freePort())
  let output = ''
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_BUNDLE], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'production',
      PORT: String(port),
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
      // Every test file signs in from 127.0.0.1 against one database, so the per-IP limits would count the whole
      // run and refuse whichever file came late (CI: apiIndex's login, 403). The per-IP rules are proven in
      // securityRateLimit.test.ts, which sets its own.
      ...PER_IP_LIMITS_OFF,
      // Load shedding off: the race and concurrency proofs send more requests at once than a replica admits, and
      // must see every one decided by the booking rules. Shedding is proven in loadShedding.test.ts, which sets it.
      LOAD_SHED_MAX_IN_FLIGHT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const file = options.outputFile ? fs.openSync(options.outputFile, 'a') : undefined
  const collect = (chunk: Buffer) => {
    output += chunk
    if (file !== undefined) fs.writeSync(file, chunk)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  if (file !== undefined) child.once('close', () => fs.closeSync(file))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output.slice(-3000)}`)
    try {
      const response = await fetch(`${url}/healthz`)
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not come up within ${options.timeoutMs ?? 60_000} ms:\n${output.slice(-3000)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  return {
    url,
    port,
    process: child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      process.removeListener('exit', killOnExit)
      if (child.exitCode === null) child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}
