// Local MongoDB-protocol database for development and tests: resolution order, library API and CLI.
// Why and how: docs/local-database.md. Backends: local-db/mongod.ts, local-db/ferretdb.ts; processes: local-db/processes.ts.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { startFerretdb } from './local-db/ferretdb'
import { findMongod, startMongod } from './local-db/mongod'

export { findFreePort } from './local-db/processes'

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

const defaultLog = (msg: string): void => {
  process.stderr.write(`[local-db] ${msg}\n`)
}

/** DATABASE_URI if set, else `mongod` on PATH, else FerretDB (on PostgreSQL when one answers, else SQLite). */
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

  const mongod = findMongod()
  if (mongod) return startMongod(mongod, opts, log, dbName)

  return startFerretdb(opts, log, dbName)
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
