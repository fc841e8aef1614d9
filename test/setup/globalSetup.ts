import { ensureProductionBuild } from '../../scripts/ensure-build'
import { startLocalDatabase } from '../../scripts/local-db'
import { startLocalSes } from '../../scripts/local-ses'
import { onRunEnd } from './runServices'

/**
 * Starts a fresh MongoDB-protocol server (DATABASE_URI, mongod or FerretDB) and a local SES server for the
 * whole Jest run. Workers inherit the environment set here. Several projects name this file (or, like the browser
 * project, a setup that calls it): it starts the services once per run.
 */
export default async function globalSetup(): Promise<void> {
  const state = globalThis as { __tutortrackServicesStarted?: boolean }
  if (state.__tutortrackServicesStarted) return
  state.__tutortrackServicesStarted = true
  // The production bundle, once per run and before any file's clock starts (a build inside a test file's
  // beforeAll took 182 s on a loaded CI machine, past the hook timeout). Files reuse it through the same check.
  ensureProductionBuild()
  const externalDatabase = process.env.DATABASE_URI
  // Every FerretDB this run starts (this one, and those files and clusters start; workers inherit it) shares one
  // PostgreSQL server with the other lanes' runs: at most 24 connections each, not FerretDB's 50.
  process.env.LOCAL_DB_PG_MAX_CONNS ||= '24'
  const database = await startLocalDatabase({
    fresh: true,
    dbName: `tutortrack_test_${Date.now()}`,
    log: (message) => process.stderr.write(`[test-db] ${message}\n`),
  })
  onRunEnd(() => database.stop())
  const ses = await startLocalSes()
  onRunEnd(() => ses.stop())

  process.env.DATABASE_URI = database.uri
  process.env.SES_ENDPOINT = ses.endpoint
  process.env.AWS_REGION = 'us-east-1'
  process.env.AWS_ACCESS_KEY_ID = 'local'
  process.env.AWS_SECRET_ACCESS_KEY = 'local'
  process.env.PAYLOAD_SECRET = 'tutortrack-test-secret'
  process.env.SERVER_URL = process.env.SERVER_URL || 'http://localhost:3000'
  process.env.TUTORTRACK_EXTERNAL_DATABASE = externalDatabase ? '1' : ''
  // The PostgreSQL database behind the FerretDB stand-in, for tests that count what PostgreSQL did.
  process.env.TUTORTRACK_TEST_POSTGRES_DATABASE = database.postgresDatabase ?? ''
}
