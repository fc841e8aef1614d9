/**
 * `npm test`: the type check, one production build, then Jest in three lanes side by side; at the end where the time
 * went (each step, each lane, each project, the slowest files).
 *
 * Why these lanes: on a 2-core machine most files keep both cores busy, and such files run side by side mostly slow
 * each other (measured: docs/plans/issue-18-test-lanes.md). So the main lane runs those one at a time, and two kinds of
 * work run beside it: the container project, whose base image waits on Debian's archive for much of its time (then the
 * unit files again under TZ=Pacific/Chatham, then AFTER_IMAGE_FILES), and the files in WAITING_FILES, which
 * spend most of their time waiting on the clock, on a database they start and stop, or on rate-limit windows (then
 * BESIDE_FILES, which fill the room the main lane leaves once the image is built). Each Jest process has its own
 * database server and SES server (test/setup/globalSetup.ts), so the lanes share no state.
 * `TEST_SERIAL=1` runs the lanes one after the other; `TEST_PROJECTS=unit,integration` runs only those Jest projects.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

import { ensureProductionBuild } from './ensure-build'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { formatTimes } = createRequire(import.meta.url)('../test/setup/summaryReporter.cjs') as {
  formatTimes: (files: FileTime[]) => string
}

/**
 * Files that mostly wait: the machine's two cores were busy 0.2-0.9 cores on average while each ran alone in the main
 * lane (7 Dec, sampled from /proc/stat; the main lane's other files 1.2-2.0). None compares response times: those
 * (securityHttp, forgotPasswordTiming, loadShedding) stay in the main lane.
 */
const WAITING_FILES = [
  'test/cluster/reminders.test.ts', // reminders fall due on whole minutes
  'test/cluster/health.test.ts', // HAProxy's check intervals
  'test/integration/storageFlavor.test.ts',
  'test/integration/localDatabase.test.ts', // PostgreSQL's autovacuum
  'test/integration/databaseReconnect.test.ts', // a TCP proxy cut and restored, the driver's reconnects
  'test/integration/storageUnavailable.test.ts', // PostgreSQL refusing connections, orphan bounds
  'test/integration/securityRateLimit.test.ts', // fixed rate-limit windows
  'test/integration/securityAuth.test.ts',
  'test/integration/forgotPasswordQueue.test.ts', // batch delays and leases
]
/**
 * Files that keep about one core busy (1.0-1.6 while alone) and compare no response times: after the waiting files, in
 * the same lane, they use the room the main lane leaves (it kept 1.3-1.9 of the two cores busy once the other lanes
 * were done).
 */
const BESIDE_FILES = [
  'test/integration/devRunner.test.ts',
  'test/integration/emailAppointments.test.ts',
  'test/integration/server.test.ts',
  'test/integration/accessMatrix.test.ts',
  'test/integration/fuzz.test.ts',
  'test/integration/bookingConcurrency.test.ts',
]
/**
 * Files that run in the second lane once the image is checked (it now takes the run's own bundle and is done in about
 * 400 s, not 600+) and the unit files have run again: in the 7 Dec night CI run the second lane sat idle from ~450 s
 * while the main lane ran alone for its last ~400 s (with these four there, still ~240 s: hence bookingRace). They spend
 * part of their time in leases, sleeps between restarts and SES outages, and none compares response times.
 */
const AFTER_IMAGE_FILES = [
  'test/integration/emailDispatch.test.ts',
  'test/cluster/rollingRestart.test.ts',
  'test/cluster/scale.test.ts',
  'test/cluster/killReplica.test.ts',
  // 200 students racing for one slot: one winner, checked in the database, however slow the replicas are.
  'test/cluster/bookingRace.test.ts',
]
const PROJECTS = process.env.TEST_PROJECTS?.split(',').filter(Boolean) ?? ['unit', 'integration', 'browser', 'container', 'cluster']

type FileTime = { project: string; file: string; start: number; end: number; ms: number }
type Step = { name: string; ms: number; ok: boolean }

const timesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tutortrack-test-')), 'times.jsonl')
const jestBin = path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js')
const steps: Step[] = []

/** Runs a command; `logFile` collects its output (printed when it ends) instead of passing it through live. */
function run(name: string, command: string, args: string[], options: { env?: Record<string, string>; logFile?: string } = {}): Promise<Step> {
  const started = Date.now()
  const out = options.logFile ? fs.openSync(options.logFile, 'w') : 'inherit'
  const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', out, out] })
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      if (typeof out === 'number') fs.closeSync(out)
      const step = { name, ms: Date.now() - started, ok: code === 0 && !signal }
      steps.push(step)
      resolve(step)
    })
  })
}

function jest(lane: string, args: string[], env: Record<string, string> = {}, logFile?: string): Promise<Step> {
  return run(`jest: ${lane}`, process.execPath, [jestBin, ...args], {
    env: { NODE_OPTIONS: '--experimental-vm-modules', TUTORTRACK_TEST_TIMES: timesFile, TUTORTRACK_TEST_LABEL: lane, ...env },
    logFile,
  })
}

function printLog(title: string, logFile: string): void {
  process.stdout.write(`\n===== ${title} (its whole output) =====\n${fs.readFileSync(logFile, 'utf8')}\n===== end of ${title} =====\n`)
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const started = Date.now()

const typecheck = await run('tsc --noEmit', process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit'])
if (typecheck.ok) {
  // Once, before the lanes: each Jest process checks the build stamp in its global setup and must find it current.
  const buildStarted = Date.now()
  let built = true
  try {
    ensureProductionBuild()
  } catch (error) {
    built = false
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  }
  steps.push({ name: 'production build', ms: Date.now() - buildStarted, ok: built })

  if (built) {
    const waitingLog = path.join(path.dirname(timesFile), 'waiting.log')
    const besideLog = path.join(path.dirname(timesFile), 'beside.log')
    const chathamLog = path.join(path.dirname(timesFile), 'chatham.log')
    const containerLog = path.join(path.dirname(timesFile), 'container.log')
    const afterImageLog = path.join(path.dirname(timesFile), 'after-image.log')
    const mainProjects = PROJECTS.filter((project) => project !== 'container')
    const main = async () => {
      if (mainProjects.length > 0) {
        await jest('main', ['--selectProjects', ...mainProjects, '--testPathIgnorePatterns', ...WAITING_FILES, ...BESIDE_FILES, ...AFTER_IMAGE_FILES])
      }
    }
    // The second lane: the image, then the unit files again under a zone with a 45-minute offset and DST (their times
    // stay out of the per-project sums), then AFTER_IMAGE_FILES.
    const second = async () => {
      if (PROJECTS.includes('container')) await jest('container', ['--selectProjects', 'container'], {}, containerLog)
      if (PROJECTS.includes('unit')) {
        await jest('unit under TZ=Pacific/Chatham', ['--selectProjects', 'unit'], { TZ: 'Pacific/Chatham', TUTORTRACK_TEST_TIMES: '' }, chathamLog)
      }
      await jest('after the image', ['--selectProjects', ...PROJECTS, '--passWithNoTests', '--testPathPatterns', ...AFTER_IMAGE_FILES], {}, afterImageLog)
    }
    // The third lane: the waiting files, then BESIDE_FILES, one file at a time.
    const third = async () => {
      await jest('waiting', ['--selectProjects', ...PROJECTS, '--passWithNoTests', '--testPathPatterns', ...WAITING_FILES], {}, waitingLog)
      await jest('beside', ['--selectProjects', ...PROJECTS, '--passWithNoTests', '--testPathPatterns', ...BESIDE_FILES], {}, besideLog)
    }
    if (process.env.TEST_SERIAL === '1') {
      await main()
      await second()
      await third()
    } else {
      await Promise.all([main(), second(), third()])
    }
    if (fs.existsSync(containerLog)) printLog('the container project', containerLog)
    printLog('the waiting files', waitingLog)
    if (fs.existsSync(besideLog)) printLog('the files beside the main lane', besideLog)
    if (fs.existsSync(chathamLog)) printLog('the unit tests under TZ=Pacific/Chatham', chathamLog)
    if (fs.existsSync(afterImageLog)) printLog('the files after the image', afterImageLog)
  }
}

const files: FileTime[] = fs.existsSync(timesFile)
  ? fs
      .readFileSync(timesFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => (JSON.parse(line) as { label: string; files: FileTime[] }).files)
  : []
const lines = ['', `npm test: ${seconds(Date.now() - started)} wall${process.env.TEST_SERIAL === '1' ? ' (TEST_SERIAL=1)' : ''}`]
for (const step of steps) lines.push(`  ${step.ok ? 'ok    ' : 'FAILED'} ${step.name.padEnd(40)} ${seconds(step.ms).padStart(8)}`)
if (files.length > 0) lines.push(formatTimes(files))
process.stdout.write(`${lines.join('\n')}\n`)
process.exit(steps.every((step) => step.ok) ? 0 : 1)
