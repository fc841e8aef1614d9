// The local database on a `mongod` found on PATH (docs/local-database.md).
import path from 'node:path'

import type { LocalDatabase, StartLocalDatabaseOptions } from '../local-db'
import { findOnPath, HOST, repoRoot, startServer } from './processes'

/** The `mongod` on PATH, if any. */
export function findMongod(): string | undefined {
  return findOnPath('mongod')
}

/** Starts `mongod` on 127.0.0.1 with its data in <dataDir> (default .data/mongod). */
export function startMongod(
  mongod: string,
  opts: StartLocalDatabaseOptions,
  log: (msg: string) => void,
  dbName: string,
): Promise<LocalDatabase> {
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
