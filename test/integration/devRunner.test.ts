import { spawn, type ChildProcess } from 'node:child_process'
import { pbkdf2Sync } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { Duplex } from 'node:stream'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { MongoClient } from 'mongodb'

import { PAYLOAD_PBKDF2 } from '../../src/security/passwordHashing'
import { freePort } from '../helpers/appServer'

/**
 * `npm run dev` as a newcomer meets it, twice over the same data: the demo accounts' sign-in details on every
 * start (and they work), the local mail still there after a restart, and Ctrl-C — SIGINT to the whole process
 * group, as a terminal sends it — stopping everything in order, quietly, saying what it stopped. Its data lives in
 * a temporary LOCAL_DATA_DIR (SQLite-backed FerretDB, so nothing outlives the test).
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** How `npm run dev` ended: npm itself re-raises the SIGINT once its script has exited (as in a terminal). */
type Ending = { code: number | null; signal: NodeJS.Signals | null }
type DevRun = { child: ChildProcess; output: () => string; exited: Promise<Ending> }

let dataDir: string
let env: NodeJS.ProcessEnv
let sesEndpoint: string
const runs: DevRun[] = []

function startDev(...args: string[]): DevRun {
  let output = ''
  // Its own process group, like a terminal's foreground job: the SIGINT below goes to every process in it.
  const child = spawn('npm', ['run', 'dev', ...(args.length ? ['--', ...args] : [])], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<Ending>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const run = { child, output: () => output, exited }
  runs.push(run)
  return run
}

async function waitFor(run: DevRun, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null) throw new Error(`npm run dev exited (${run.child.exitCode}) before printing ${text}:\n${run.output().slice(-4000)}`)
    if (Date.now() > deadline) throw new Error(`npm run dev did not print ${text} within ${timeoutMs} ms:\n${run.output().slice(-4000)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Ctrl-C in the terminal: SIGINT to the process group; resolves with what was printed after it and how it ended. */
async function pressCtrlC(run: DevRun): Promise<{ printed: string; ending: Ending }> {
  const before = run.output().length
  process.kill(-run.child.pid!, 'SIGINT')
  let timer: NodeJS.Timeout | undefined
  const ending = await Promise.race([run.exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 60_000)))])
  clearTimeout(timer)
  if (ending === 'timeout') throw new Error(`npm run dev did not stop within 60 s:\n${run.output().slice(before)}`)
  return { printed: run.output().slice(before), ending }
}

const stoppedByCtrlC = (ending: Ending) => ending.code === 0 || ending.signal === 'SIGINT'

/** `  admin    admin@tutortrack.local  <password>` lines of the seed's output. */
function demoAccounts(output: string): Map<string, string> {
  const accounts = new Map<string, string>()
  const block = output.slice(output.lastIndexOf('Demo accounts ('))
  for (const match of block.matchAll(/^ {2}(admin|editor|tutor|student) +(\S+@\S+) +(\S+)$/gm)) accounts.set(match[2], match[3])
  return accounts
}

const databaseUri = (output: string) => output.match(/ready at (mongodb:\/\/\S+)/)?.[1]

/** Opens `next dev`'s hot-reload socket as a page loaded from `origin` would; undefined when it is refused. */
function openDevSocket(origin: string): Promise<Duplex | undefined> {
  return new Promise((resolve) => {
    const request = http.request(`http://127.0.0.1:${env.PORT}/_next/hmr?id=devRunner`, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', Origin: origin, 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    })
    request.once('upgrade', (_response, socket) => resolve(socket))
    request.once('response', (response) => {
      response.resume()
      resolve(undefined)
    })
    request.once('error', () => resolve(undefined))
    request.setTimeout(30_000, () => request.destroy())
    request.end()
  })
}

async function isAdminPassword(uri: string, password: string): Promise<boolean> {
  const client = new MongoClient(uri)
  try {
    const admin = await client.db().collection<{ salt: string; hash: string }>('users').findOne({ email: 'admin@tutortrack.local' })
    const hash = pbkdf2Sync(password, admin!.salt, PAYLOAD_PBKDF2.iterations, PAYLOAD_PBKDF2.keyLength, PAYLOAD_PBKDF2.digest).toString('hex')
    return admin!.hash === `${PAYLOAD_PBKDF2.prefix}${hash}`
  } finally {
    await client.close()
  }
}

async function storedEmails(): Promise<{ messageId: string; subject: string }[]> {
  return ((await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: { messageId: string; subject: string }[] }).emails
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutortrack-dev-'))
  const [port, databasePort, sesPort] = [await freePort(), await freePort(), await freePort()]
  env = { ...process.env, PORT: String(port), LOCAL_DB_PORT: String(databasePort), SES_PORT: String(sesPort), LOCAL_DATA_DIR: dataDir, LOCAL_DB_STORAGE: 'sqlite' }
  // What the test run set for itself; a newcomer's shell has none of it.
  for (const name of ['DATABASE_URI', 'SES_ENDPOINT', 'SERVER_URL', 'PAYLOAD_SECRET', 'NODE_OPTIONS', 'NODE_ENV', 'DEMO_ACCOUNTS_FILE']) delete env[name]
  sesEndpoint = `http://127.0.0.1:${sesPort}`
})

afterAll(async () => {
  for (const run of runs) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) continue
    try {
      process.kill(-run.child.pid!, 'SIGKILL')
    } catch {
      // the group is gone already
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('npm run dev', () => {
  let firstAccounts: Map<string, string>
  let firstMail: string[]

  it('first start: seeds, shows the demo accounts (whose passwords work) and sends the demo bookings’ mail', async () => {
    const run = startDev()
    await waitFor(run, '"event":"server.listening"', 240_000)
    expect(run.output()).toContain('Demo data added.')
    firstAccounts = demoAccounts(run.output())
    expect([...firstAccounts.keys()].sort()).toEqual(['ada@tutortrack.local', 'admin@tutortrack.local', 'editor@tutortrack.local', 'oskar@student.tutortrack.local', 'priya@student.tutortrack.local', 'sam@student.tutortrack.local'])

    // The printed password is the account's: checked against the hash Payload stored.
    expect(await isAdminPassword(databaseUri(run.output())!, firstAccounts.get('admin@tutortrack.local')!)).toBe(true)
    firstMail = (await storedEmails()).map((email) => email.messageId)
    expect(firstMail.length).toBeGreaterThan(0)
  }, 300_000)

  it('Ctrl-C stops the app, then the mail server and the database, quietly, and says what it stopped', async () => {
    const { printed, ending } = await pressCtrlC(runs[0])
    expect(stoppedByCtrlC(ending)).toBe(true)
    expect(printed).toContain('"event":"shutdown.done"')
    expect(printed).toMatch(/\[dev\] stopped TutorTrack \(http:\/\/localhost:\d+\)/)
    expect(printed).toMatch(/\[dev\] stopped the local SES server .*its mail stays in /)
    expect(printed).toMatch(/\[dev\] stopped ferretdb .*the data stays in /)
    expect(printed).not.toMatch(/unexpectedly|"level":50|ERROR|Error:/)
    // Nothing is left running: the mail server's port is free again.
    await expect(fetch(`${sesEndpoint}/health-check`)).rejects.toThrow()
  }, 90_000)

  it('second start: shows the same demo accounts again, the mail sent before the restart, and serves 127.0.0.1 too', async () => {
    const run = startDev()
    await waitFor(run, '"event":"server.listening"', 240_000)
    expect(run.output()).toContain('Database already has tutors: demo data not added.')
    expect(demoAccounts(run.output())).toEqual(firstAccounts)
    const mail = (await storedEmails()).map((email) => email.messageId)
    expect(mail).toEqual(expect.arrayContaining(firstMail))
    // Opened at http://127.0.0.1:<port> instead of localhost, the page keeps its hot-reload socket (without it, it
    // reloads in a loop); a foreign page does not get one.
    // (Next takes over the server's upgrades with the first request it handles, as a page load is.)
    await (await fetch(`http://127.0.0.1:${env.PORT}/_next/static/chunks/not-there.js`)).arrayBuffer()
    const hotReload = await openDevSocket(`http://127.0.0.1:${env.PORT}`)
    expect(hotReload).toBeDefined()
    expect(await openDevSocket('http://elsewhere.example.com')).toBeUndefined()

    // Ctrl-C with that page still open: its socket does not hold the stop up.
    const started = Date.now()
    const { printed, ending } = await pressCtrlC(run)
    hotReload?.destroy()
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(stoppedByCtrlC(ending)).toBe(true)
    expect(printed).toContain('[dev] stopped ferretdb')
    expect(printed).not.toMatch(/unexpectedly|"level":50|ERROR|Error:/)
  }, 300_000)

  it('`npm run dev -- --reset-demo-passwords`: new passwords, shown and working, and no second set of demo data', async () => {
    const run = startDev('--reset-demo-passwords')
    await waitFor(run, '"event":"server.listening"', 240_000)
    expect(run.output()).toContain('New passwords set for the demo accounts.')
    const accounts = demoAccounts(run.output())
    expect([...accounts.keys()].sort()).toEqual([...firstAccounts.keys()].sort())
    expect(accounts.get('admin@tutortrack.local')).not.toBe(firstAccounts.get('admin@tutortrack.local'))
    expect(await isAdminPassword(databaseUri(run.output())!, accounts.get('admin@tutortrack.local')!)).toBe(true)
    expect(await isAdminPassword(databaseUri(run.output())!, firstAccounts.get('admin@tutortrack.local')!)).toBe(false)
    const client = new MongoClient(databaseUri(run.output())!)
    try {
      expect(await client.db().collection('tutors').countDocuments()).toBe(6)
    } finally {
      await client.close()
    }
    const { ending } = await pressCtrlC(run)
    expect(stoppedByCtrlC(ending)).toBe(true)
  }, 300_000)
})
