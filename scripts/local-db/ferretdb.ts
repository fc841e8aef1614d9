// The local database on FerretDB: storage choice (PostgreSQL first, else SQLite), building the launcher,
// PostgreSQL server discovery and database naming (docs/local-database.md).
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'

import type { LocalDatabase, StartLocalDatabaseOptions } from '../local-db'
import { findOnPath, HOST, isExecutable, repoRoot, startServer } from './processes'

type Storage = 'postgresql' | 'sqlite'

const ensureScript = path.join(repoRoot, 'scripts', 'ensure-ferretdb.sh')
const ferretdbBinary = path.join(
  repoRoot,
  'tools',
  'ferretdb',
  'bin',
  process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb',
)

/**
 * FerretDB on the local PostgreSQL when one answers (falling back to SQLite files unless
 * LOCAL_DB_STORAGE=postgresql), else on SQLite files in <dataDir> (default .data/ferretdb).
 */
export async function startFerretdb(
  opts: StartLocalDatabaseOptions,
  log: (msg: string) => void,
  dbName: string,
): Promise<LocalDatabase> {
  const ferretdb = (storage: Storage, postgresServer?: string): Promise<LocalDatabase> =>
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
        // Several instances on one PostgreSQL server (the test lanes) bound their pools: tools/ferretdb/local_tuning.go.
        ...(postgresServer && maxConns ? ['-postgresql-max-conns', maxConns] : []),
        '-log-level',
        'error',
        '-exit-on-stdin-eof',
        ...(fresh ? ['-delete-data-on-exit'] : []),
      ],
      stdin: 'pipe',
    })

  const maxConns = process.env.LOCAL_DB_PG_MAX_CONNS
  if (maxConns && !/^[1-9]\d*$/.test(maxConns)) {
    throw new Error(`LOCAL_DB_PG_MAX_CONNS must be a whole number of PostgreSQL connections (such as 24), not "${maxConns}"`)
  }
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

/** Builds (first time) and returns the FerretDB binary for this storage: PostgreSQL-only builds skip SQLite. */
export async function ensureFerretdb(log: (msg: string) => void, storage: Storage): Promise<string> {
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

