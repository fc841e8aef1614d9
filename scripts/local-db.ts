/**
 * Local MongoDB-protocol database for development and tests.
 *
 * Resolution order:
 *   1. DATABASE_URI set           → used as-is (kind 'external', stop() is a no-op).
 *   2. `mongod` on PATH           → started on 127.0.0.1 with dbpath <dataDir> (default .data/mongod).
 *   3. otherwise FerretDB          → tools/ferretdb/bin/ferretdb (built by scripts/ensure-ferretdb.sh,
 *                                    needs Go >= 1.24 the first time), storing its data in
 *                                    - PostgreSQL, when one answers at LOCAL_POSTGRES_URL (default
 *                                      postgres://postgres@127.0.0.1:5432, trust auth): a database of its own,
 *                                      created on start (and dropped on stop when `fresh`);
 *                                    - else SQLite files in <dataDir> (default .data/ferretdb).
 *                                    LOCAL_DB_STORAGE=sqlite|postgresql forces one.
 *
 * Why PostgreSQL first: FerretDB 1.24 answers every query, even one by `_id`, by reading the collection, and
 * on SQLite it does that in Go over one writer lock (measured on 10,000 outbox-sized documents: a filtered
 * find 1.8 s, an update by `_id` 160 ms, and writers time out with "database is locked" under load); on
 * PostgreSQL the same find is 30 ms and writers do not block each other. Production uses MongoDB either way.
 *
 * Library:
 *   const db = await startLocalDatabase({ fresh: true })   // db.uri, db.kind, await db.stop()
 *
 * CLI (stays up until SIGINT/SIGTERM):
 *   tsx scripts/local-db.ts [--port N] [--fresh] [--data DIR] [--db NAME]
 *   → prints `DATABASE_URI=mongodb://127.0.0.1:PORT/tutortrack` on stdout.
 *
 * Only Node built-ins are used.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export type LocalDatabaseKind = 'external' | 'mongod' | 'ferretdb'

export interface StartLocalDatabaseOptions {
  /** Data directory (default: <repo>/.data/mongod or <repo>/.data/ferretdb). Ignored when `fresh`. */
  dataDir?: string
  /** Use a new empty temporary directory under os.tmpdir(), deleted by stop(). */
  fresh?: boolean
  /** Database name put in the returned URI (default 'tutortrack'). */
  dbName?: string
  /** Fixed TCP port on 127.0.0.1; 0 or undefined picks a free port. */
  port?: number
  /** Start a server of our own even when DATABASE_URI is set (tests that stop the database on purpose). */
  ignoreEnvironment?: boolean
  /** Progress messages (default: stderr with a "[local-db]" prefix). */
  log?: (msg: string) => void
}

export interface LocalDatabase {
  uri: string
  kind: LocalDatabaseKind
  /** Where FerretDB keeps its data (FerretDB only). */
  storage?: 'postgresql' | 'sqlite'
  /** The PostgreSQL database FerretDB stores this one in (FerretDB on PostgreSQL only). */
  postgresDatabase?: string
  /** The lasting data directory (undefined for 'external' and `fresh` instances). */
  dataDir?: string
  stop: () => Promise<void>
  /** Resolves when the server process exits, for whatever reason (undefined for 'external'). */
  exited?: Promise<void>
}

const HOST = '127.0.0.1'
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000
const TAIL_BYTES = 4_000

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ensureScript = path.join(repoRoot, 'scripts', 'ensure-ferretdb.sh')
const ferretdbBinary = path.join(
  repoRoot,
  'tools',
  'ferretdb',
  'bin',
  process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb',
)

const defaultLog = (msg: string): void => {
  process.stderr.write(`[local-db] ${msg}\n`)
}

export async function startLocalDatabase(
  opts: StartLocalDatabaseOptions = {},
): Promise<LocalDatabase> {
  const log = opts.log ?? defaultLog
  const dbName = opts.dbName ?? 'tutortrack'

  const external = opts.ignoreEnvironment ? undefined : process.env.DATABASE_URI
  if (external) {
    log('using DATABASE_URI from the environment')
    return { uri: external, kind: 'external', stop: async () => {} }
  }

  const mongod = findOnPath('mongod')
  if (mongod) {
    return startServer({
      kind: 'mongod',
      opts,
      log,
      dbName,
      defaultDataDir: path.join(repoRoot, '.data', 'mongod'),
      command: () => mongod,
      args: (port, dir) => ['--dbpath', dir, '--port', String(port), '--bind_ip', HOST, '--quiet'],
      stdin: 'ignore',
    })
  }

  const ferretdb = (storage: 'postgresql' | 'sqlite', postgresServer?: string): Promise<LocalDatabase> =>
    startServer({
      kind: 'ferretdb',
      storage,
      opts,
      log,
      dbName,
      defaultDataDir: path.join(repoRoot, '.data', 'ferretdb'),
      command: () => ensureFerretdb(log, storage),
      // stdin stays an open pipe: FerretDB exits when it closes, i.e. when this process dies,
      // even by SIGKILL; a fresh temp data dir (or PostgreSQL database) is then removed by FerretDB itself.
      args: (port, dir, fresh) => [
        '-listen',
        `${HOST}:${port}`,
        '-data',
        dir,
        ...(postgresServer ? ['-postgresql-url', `${postgresServer}/${postgresDatabaseName(dir, fresh)}`] : []),
        '-log-level',
        'error',
        '-exit-on-stdin-eof',
        ...(fresh ? ['-delete-data-on-exit'] : []),
      ],
      stdin: 'pipe',
    })

  const postgresServer = await localPostgresServer()
  if (postgresServer) {
    try {
      return await ferretdb('postgresql', postgresServer)
    } catch (error) {
      if (process.env.LOCAL_DB_STORAGE === 'postgresql') throw error
      log(`FerretDB on PostgreSQL (${redact(postgresServer)}) did not start: ${(error as Error).message.split('\n')[0]}; using SQLite files instead`)
    }
  }
  return ferretdb('sqlite')
}

const DEFAULT_POSTGRES_SERVER = 'postgres://postgres@127.0.0.1:5432'

/** The PostgreSQL server FerretDB should store its data in, if one answers; undefined for SQLite. */
async function localPostgresServer(): Promise<string | undefined> {
  const choice = process.env.LOCAL_DB_STORAGE
  if (choice === 'sqlite') return undefined
  const server = (process.env.LOCAL_POSTGRES_URL || DEFAULT_POSTGRES_SERVER).replace(/\/+$/, '')
  let target: URL
  try {
    target = new URL(server)
  } catch {
    throw new Error(`LOCAL_POSTGRES_URL is not a URL: ${server}`)
  }
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(target.port) || 5432, target.hostname)
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
  if (!reachable && choice === 'postgresql') throw new Error(`LOCAL_DB_STORAGE=postgresql, but nothing answers at ${redact(server)}`)
  return reachable ? server : undefined
}

/** One PostgreSQL database per data directory: a throw-away one per fresh instance, a lasting one per checkout. */
function postgresDatabaseName(dataDir: string, fresh: boolean): string {
  const digest = crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12)
  return fresh ? `tutortrack_tmp_${digest}` : `tutortrack_local_${digest}`
}

const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')

// ---------------------------------------------------------------------------

interface ServerSpec {
  kind: 'mongod' | 'ferretdb'
  storage?: 'postgresql' | 'sqlite'
  opts: StartLocalDatabaseOptions
  log: (msg: string) => void
  dbName: string
  defaultDataDir: string
  command: () => string | Promise<string>
  args: (port: number, dataDir: string, fresh: boolean) => string[]
  stdin: 'ignore' | 'pipe'
}

async function startServer(spec: ServerSpec): Promise<LocalDatabase> {
  const { kind, opts, log } = spec
  const command = await spec.command()

  let tempDir: string | undefined
  let dataDir: string
  if (opts.fresh) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), `tutortrack-${kind}-`))
    dataDir = tempDir
  } else {
    dataDir = path.resolve(opts.dataDir ?? spec.defaultDataDir)
    fs.mkdirSync(dataDir, { recursive: true })
  }

  const port = opts.port && opts.port > 0 ? opts.port : await findFreePort()
  const args = spec.args(port, dataDir, tempDir !== undefined)
  log(`starting ${kind} on ${HOST}:${port} (data: ${dataDir})`)

  const child = spawn(command, args, {
    cwd: repoRoot,
    stdio: [spec.stdin, 'pipe', 'pipe'],
    // A server that dies with us through its stdin (FerretDB) gets a process group of its own: a terminal's
    // Ctrl-C then reaches only us, and we stop it after the app that uses it, instead of under the app's feet.
    detached: spec.stdin === 'pipe',
    windowsHide: true,
  })
  const output = new Tail(TAIL_BYTES)
  let spawnError: Error | undefined
  child.on('error', (err) => {
    spawnError = err
  })
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk))
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk))

  // Do not keep the parent alive just for the database: when the parent exits, the
  // 'exit' hook (and, for FerretDB, the closed stdin pipe) takes the server down.
  child.unref()
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    ;(stream as net.Socket | null)?.unref?.()
  }

  const instance: Instance = { child, tempDir, stopping: false }
  running.add(instance)
  installParentExitHooks()

  let ready = false
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', (code, signal) => {
    if (ready && !instance.stopping) {
      log(
        `${kind} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}).` +
          formatTail(output),
      )
    }
  })

  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= stopInstance(instance)
    return stopped
  }

  try {
    await waitForPort(port, child, () => spawnError, output, kind)
    ready = true
  } catch (err) {
    await stop()
    throw err
  }

  const uri = `mongodb://${HOST}:${port}/${spec.dbName}`
  const pgDatabase = args.includes('-postgresql-url') ? args[args.indexOf('-postgresql-url') + 1].split('/').pop() : undefined
  log(`${kind}${spec.storage ? ` (${spec.storage}${pgDatabase ? ` database ${pgDatabase}` : ''})` : ''} ready at ${uri}`)
  return { uri, kind, storage: spec.storage, postgresDatabase: pgDatabase, dataDir: tempDir ? undefined : dataDir, stop, exited }
}

interface Instance {
  child: ChildProcess
  tempDir?: string
  stopping: boolean
}

const running = new Set<Instance>()

async function stopInstance(instance: Instance): Promise<void> {
  const { child, tempDir } = instance
  instance.stopping = true
  if (isRunning(child)) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => {
      if (isRunning(child)) child.kill('SIGKILL')
    }, STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }
  child.stdin?.destroy()
  running.delete(instance)
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null
}

/** Synchronous best-effort cleanup for when the parent process goes away. */
function killAllSync(): void {
  for (const { child, tempDir } of running) {
    if (isRunning(child)) {
      try {
        child.kill('SIGTERM')
      } catch {
        // ignore
      }
    }
    if (tempDir) {
      try {
        fs.rmSync(tempDir, { recursive: true, force: true })
      } catch {
        // ignore
      }
    }
  }
  running.clear()
}

let hooksInstalled = false

function installParentExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true

  process.on('exit', killAllSync)

  // Node does not emit 'exit' when it is terminated by a signal it has no listener for.
  // Kill our children first, then, if nobody else handles the signal, die by it as Node would.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      const othersListening = process.listenerCount(signal) > 1
      if (othersListening) return // the app handles it (and 'exit' will fire when it exits)
      killAllSync()
      process.removeListener(signal, onSignal)
      process.kill(process.pid, signal)
    }
    process.on(signal, onSignal)
  }
}

// ---------------------------------------------------------------------------

/** Builds (first time) and returns the FerretDB binary for this storage: PostgreSQL-only builds skip SQLite. */
async function ensureFerretdb(log: (msg: string) => void, storage: 'postgresql' | 'sqlite'): Promise<string> {
  const binaryExists = fs.existsSync(ferretdbBinary) || (storage === 'postgresql' && fs.existsSync(`${ferretdbBinary}-postgresql`))
  if (!binaryExists && !findGo()) {
    throw new Error(missingServerMessage())
  }
  if (!binaryExists) log('building FerretDB with Go (first time only; progress below)...')

  let binary = ''
  const code = await new Promise<number | null>((resolve, reject) => {
    const p = spawn('bash', [ensureScript, storage], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    p.stdout?.on('data', (chunk) => (binary += chunk))
    p.on('error', reject)
    p.on('exit', (c) => resolve(c))
  })
  if (code === 0) return binary.trim()
  if (!fs.existsSync(ferretdbBinary) && !findGo()) throw new Error(missingServerMessage())
  throw new Error(
    `scripts/ensure-ferretdb.sh failed (exit code ${code}); see its output above. ` +
      'Alternatively set DATABASE_URI to a running MongoDB.',
  )
}

function missingServerMessage(): string {
  return [
    'No database available for TutorTrack. Do one of:',
    '  - set DATABASE_URI to a running MongoDB, e.g. DATABASE_URI=mongodb://127.0.0.1:27017/tutortrack',
    '  - install MongoDB so that `mongod` is on PATH',
    '  - install Go >= 1.24 (https://go.dev/dl/) so that `go` is on PATH; the bundled FerretDB',
    '    server (tools/ferretdb) is then built automatically by scripts/ensure-ferretdb.sh',
  ].join('\n')
}

function findGo(): string | undefined {
  return findOnPath('go') ?? ['/usr/local/go/bin/go'].find(isExecutable)
}

function findOnPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext)
      if (isExecutable(candidate)) return candidate
    }
  }
  return undefined
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/** A free TCP port on 127.0.0.1, found by listening on port 0 and closing. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, HOST, () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))))
    })
  })
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  spawnError: () => Error | undefined,
  output: Tail,
  kind: string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    const err = spawnError()
    if (err) throw new Error(`failed to start ${kind}: ${err.message}`)
    if (!isRunning(child)) {
      // let the last output arrive
      await sleep(50)
      const how =
        child.signalCode !== null ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`
      throw new Error(
        `${kind} exited (${how}) before accepting connections on ${HOST}:${port}.` +
          formatTail(output),
      )
    }
    if (await canConnect(port)) {
      // the port might be held by another process while ours is failing to bind
      await sleep(50)
      if (isRunning(child)) return
      continue
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${kind} did not accept connections on ${HOST}:${port} within ${START_TIMEOUT_MS / 1000}s.` +
          formatTail(output),
      )
    }
    await sleep(100)
  }
}

function formatTail(output: Tail): string {
  const text = output.text().trim()
  return text ? `\nLast output:\n${text}` : ' It printed nothing.'
}

class Tail {
  private chunks: Buffer[] = []
  private size = 0
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.max && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length
    }
  }
  text(): string {
    const buf = Buffer.concat(this.chunks)
    return buf.subarray(Math.max(0, buf.length - this.max)).toString('utf8')
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

// ---------------------------------------------------------------------------
// CLI

function parseCliArgs(argv: string[]): StartLocalDatabaseOptions {
  const opts: StartLocalDatabaseOptions = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`missing value for ${arg}`)
      return v
    }
    switch (arg) {
      case '--port':
        opts.port = Number.parseInt(value(), 10)
        break
      case '--fresh':
        opts.fresh = true
        break
      case '--data':
        opts.dataDir = value()
        break
      case '--db':
        opts.dbName = value()
        break
      case '-h':
      case '--help':
        process.stdout.write(
          'Usage: tsx scripts/local-db.ts [--port N] [--fresh] [--data DIR] [--db NAME]\n' +
            'Starts a local MongoDB-compatible server and prints DATABASE_URI=...; Ctrl-C stops it.\n',
        )
        process.exit(0)
        break
      default:
        throw new Error(`unknown argument: ${arg}`)
    }
  }
  return opts
}

async function main(): Promise<void> {
  const db = await startLocalDatabase(parseCliArgs(process.argv.slice(2)))
  process.stdout.write(`DATABASE_URI=${db.uri}\n`)
  if (db.kind === 'external') return

  let stopping = false
  const shutdown = (): void => {
    if (stopping) return
    stopping = true
    db.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        defaultLog(`error while stopping: ${String(err)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  process.on('SIGHUP', shutdown)
  void db.exited?.then(() => {
    if (!stopping) process.exit(1) // already reported through the log
  })
  // The server's process handles are unref'd; keep the CLI alive until a signal arrives.
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
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  })
}
