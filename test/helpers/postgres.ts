import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The local PostgreSQL server behind the FerretDB stand-in (scripts/local-db). */
export const postgresServer = (process.env.LOCAL_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '')

/** Runs one SQL statement with psql against `database` on that server; the unaligned, trimmed output. */
export const postgresSql = (database: string) => async (query: string) => (await run('psql', [`${postgresServer}/${database}`, '-Atc', query])).stdout.trim()

/** Waits until PostgreSQL's table counters include what FerretDB's connections just did: a server process reports
 *  its counts once idle for a while (at most 10 s in PostgreSQL 15). */
export const afterStatsReported = () => new Promise((resolve) => setTimeout(resolve, 11_000))
