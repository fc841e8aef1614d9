import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { startLocalDatabase } from './local-db'
import { startLocalSes } from './local-ses'

/**
 * `npm run dev`: the whole of TutorTrack on one machine. Starts (or reuses) the database — DATABASE_URI,
 * else `mongod`, else FerretDB built from tools/ferretdb — and a local SES server, seeds demo data into an
 * empty database, then runs the app server in development mode. Ctrl-C stops everything.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const log = (message: string) => console.log(`[dev] ${message}`)

const database = await startLocalDatabase({ log, port: Number(process.env.LOCAL_DB_PORT) || 27018 })
const ses = process.env.SES_ENDPOINT ? undefined : await startLocalSes({ port: Number(process.env.SES_PORT) || 8005, log })

const port = process.env.PORT || '3000'
const env = {
  ...process.env,
  DATABASE_URI: database.uri,
  SES_ENDPOINT: process.env.SES_ENDPOINT || ses!.endpoint,
  AWS_REGION: process.env.AWS_REGION || 'us-east-1',
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'local',
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'local',
  PORT: port,
  SERVER_URL: process.env.SERVER_URL || `http://localhost:${port}`,
}
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx')

const seeded = spawnSync(tsx, ['scripts/seed.ts', '--if-empty'], { cwd: repoRoot, env, stdio: 'inherit' })
if (seeded.status !== 0) log('seeding failed; the app starts anyway')

const app = spawn(tsx, ['src/server.ts'], { cwd: repoRoot, env: { ...env, NODE_ENV: 'development' }, stdio: 'inherit' })
log(`TutorTrack:    ${env.SERVER_URL}`)
log(`Admin panel:   ${env.SERVER_URL}/admin`)
log(`REST API:      ${env.SERVER_URL}/api   GraphQL: ${env.SERVER_URL}/api/graphql`)
log(`Sent mail:     ${env.SES_ENDPOINT}/  (local SES viewer)`)

let stopping = false
async function stop(code: number) {
  if (stopping) return
  stopping = true
  if (app.exitCode === null) app.kill('SIGTERM')
  await new Promise((resolve) => (app.exitCode === null ? app.once('exit', resolve) : resolve(undefined)))
  await ses?.stop()
  await database.stop()
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
app.once('exit', (code) => void stop(code ?? 0))
