import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { startLocalDatabase, type LocalDatabase } from './local-db'
import { startLocalSes } from './local-ses'

/**
 * `npm run dev`: the whole of TutorTrack on one machine. Starts (or reuses) the database — DATABASE_URI,
 * else `mongod`, else FerretDB built from tools/ferretdb — and a local SES server (its mail kept in
 * .data/ses-store.json), seeds demo data into an empty database and shows the demo accounts, then runs the app
 * server in development mode.
 *
 * Ctrl-C stops everything in order, quietly: the app first (the terminal's Ctrl-C reaches it directly; it drains),
 * then the mail server and the database, which run in process groups of their own so that the Ctrl-C does not
 * stop them under the app's feet. Then it says what it stopped and where the data stays.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const log = (message: string) => console.log(`[dev] ${message}`)
// Where the local database, the sent mail and the demo accounts' passwords live (git-ignored .data/ by default).
const dataDir = process.env.LOCAL_DATA_DIR ? path.resolve(process.env.LOCAL_DATA_DIR) : path.join(repoRoot, '.data')
const shown = (file: string) => path.relative(process.cwd(), file) || file
const sesStoreFile = path.join(dataDir, 'ses-store.json')

const database = await startLocalDatabase({
  log,
  port: Number(process.env.LOCAL_DB_PORT) || 27018,
  dataDir: process.env.LOCAL_DATA_DIR ? path.join(dataDir, 'database') : undefined,
})
const ses = process.env.SES_ENDPOINT ? undefined : await startLocalSes({ port: Number(process.env.SES_PORT) || 8005, log, storeFile: sesStoreFile })

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
  DEMO_ACCOUNTS_FILE: process.env.DEMO_ACCOUNTS_FILE || path.join(dataDir, 'demo-accounts.json'),
}
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx')

// Prints the demo accounts on every start (adding the demo data first when the database is empty);
// `npm run dev -- --reset-demo-passwords` gives them new passwords first.
const resetPasswords = process.argv.includes('--reset-demo-passwords') ? ['--reset-demo-passwords'] : []
const seeded = spawnSync(tsx, ['scripts/seed.ts', '--if-empty', ...resetPasswords], { cwd: repoRoot, env, stdio: 'inherit' })
if (seeded.status !== 0) log('seeding failed; the app starts anyway')

// Node itself with tsx's loader, not the `tsx` command: that wrapper relays signals to its child and kills it
// outright when the child does not acknowledge one within 30 ms, which cut the app's graceful shutdown short.
const app = spawn(process.execPath, ['--import', 'tsx/esm', 'src/server.ts'], { cwd: repoRoot, env: { ...env, NODE_ENV: 'development' }, stdio: 'inherit' })
log(`TutorTrack:    ${env.SERVER_URL}   (also http://127.0.0.1:${port})`)
log(`Admin panel:   ${env.SERVER_URL}/admin`)
log(`REST API:      ${env.SERVER_URL}/api   GraphQL: ${env.SERVER_URL}/api/graphql`)
log(`Sent mail:     ${env.SES_ENDPOINT}/  (local SES viewer)`)

let stopping = false
async function stop(code: number, reason?: string) {
  if (stopping) return
  stopping = true
  if (reason) log(reason)
  // A terminal's Ctrl-C already reached the app; `kill <pid of npm run dev>` did not. A second signal of the
  // same kind would end it at once (it listens for each only once), so this is always SIGTERM.
  if (app.exitCode === null && app.signalCode === null) app.kill('SIGTERM')
  await new Promise((resolve) => (app.exitCode === null && app.signalCode === null ? app.once('exit', resolve) : resolve(undefined)))
  await ses?.stop()
  await database.stop()
  for (const line of stoppedSummary(database)) log(line)
  process.exit(code)
}

function stoppedSummary(db: LocalDatabase): string[] {
  const lines = [`stopped TutorTrack (${env.SERVER_URL})`]
  if (ses) lines.push(`stopped the local SES server (${ses.endpoint}); its mail stays in ${shown(sesStoreFile)}`)
  if (db.kind === 'external') return lines
  const where = db.postgresDatabase ? `the PostgreSQL database ${db.postgresDatabase}` : shown(db.dataDir ?? dataDir)
  lines.push(`stopped ${db.kind} (${db.uri}); the data stays in ${where}`)
  return lines
}

process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
process.on('SIGHUP', () => void stop(0))
app.once('exit', (code, signal) => {
  if (stopping) return
  void stop(code ?? 1, `TutorTrack exited (${signal ? `signal ${signal}` : `code ${code}`}); stopping the rest`)
})
