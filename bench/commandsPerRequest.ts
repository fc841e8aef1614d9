/**
 * Database commands per request, counted at the wire (docs/capacity.md uses them): the production server behind
 * a MongoDB wire-protocol proxy that reads each command's name and collection. Runs REQUESTS of each kind one
 * after the other, warm, and prints commands per request grouped by collection:
 * the slot search, GET /api/tutors/:id anonymous and signed in, a sign-in, and a booking with its mail.
 *
 *   npx tsx bench/commandsPerRequest.ts     # REQUESTS=20
 */
import fs from 'node:fs'
import net from 'node:net'

import { benchEnv, createBenchTutor } from './benchServices'
import { cpuSeconds, cpuUsedSince, databaseProcessMatchers, processCpuSeconds } from './processCpu'
import { startLocalDatabase } from '../scripts/local-db'
import { startLocalSes } from '../scripts/local-ses'
import { startAppServer } from '../test/helpers/appServer'
import type { Tutor } from '../src/payload-types'

const REQUESTS = Number(process.env.REQUESTS || 20)
const DAY = 86_400_000
const HOUR = 3_600_000
const HANDSHAKES = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'saslStart', 'saslContinue', 'buildInfo'])

type Command = { name: string; collection: string }

/** First element of an OP_MSG body: the command name and, when a string, the collection. */
function firstElement(buffer: Buffer, offset: number): Command {
  const type = buffer[offset + 4]
  let end = offset + 5
  while (buffer[end] !== 0) end++
  const name = buffer.toString('utf8', offset + 5, end)
  if (type !== 0x02) return { name, collection: '' }
  const length = buffer.readInt32LE(end + 1)
  return { name, collection: buffer.toString('utf8', end + 5, end + 5 + length - 1) }
}

async function startCountingProxy(target: number) {
  const commands: Command[] = []
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1')
    let buffered = Buffer.alloc(0)
    client.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const frame = buffered.subarray(0, buffered.readInt32LE(0))
        buffered = buffered.subarray(frame.length)
        // OP_MSG (2013) with a body section (kind 0) first.
        if (frame.readInt32LE(12) === 2013 && frame[20] === 0) {
          const command = firstElement(frame, 21)
          if (!HANDSHAKES.has(command.name)) commands.push(command)
        }
      }
    })
    client.pipe(upstream)
    upstream.pipe(client)
    const teardown = () => {
      client.destroy()
      upstream.destroy()
    }
    for (const socket of [client, upstream]) {
      socket.on('error', teardown)
      socket.on('close', teardown)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return { port: typeof address === 'object' && address ? address.port : 0, take: () => commands.splice(0, commands.length) }
}

function summarise(label: string, commands: Command[], requests: number, cpu?: { server: number; database: number }): void {
  const groups = new Map<string, number>()
  for (const { name, collection } of commands) groups.set(`${name} ${collection}`, (groups.get(`${name} ${collection}`) ?? 0) + 1)
  const rows = [...groups.entries()].sort((a, b) => b[1] - a[1])
  const cpuText = cpu ? `; CPU ms per request: server ${((cpu.server * 1000) / requests).toFixed(1)}, database (FerretDB + PostgreSQL) ${((cpu.database * 1000) / requests).toFixed(1)}` : ''
  console.log(`\n${label}: ${(commands.length / requests).toFixed(1)} commands per request${cpuText}`)
  for (const [key, count] of rows) console.log(`  ${key.padEnd(48)} ${(count / requests).toFixed(2)}`)
}

async function main() {
  const database = await startLocalDatabase({ fresh: true, dbName: 'tutortrack_commands', ignoreEnvironment: true, log: () => {} })
  const ses = await startLocalSes()
  const port = Number(new URL(database.uri).port)
  const proxy = await startCountingProxy(port)
  const env = benchEnv(database.uri.replace(`:${port}/`, `:${proxy.port}/`), ses.endpoint, {
    // The limits are counted as they run in production: one insert per attempt, a delete on a good sign-in.
    RATE_LIMIT_BOOKING_PER_STUDENT: '1000',
    // Ticks would mix their polls into the counts; the booking's own background work still runs.
    EMAIL_DISPATCH_ENABLED: '0',
  })
  Object.assign(process.env, { ...env, DATABASE_URI: database.uri })
  const server = await startAppServer(env)
  const matchers = databaseProcessMatchers(database.uri)
  const databaseProcesses = (cmdline: string) => matchers.ferretdb(cmdline) || matchers.postgres(cmdline)
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) } })
  try {
    const { getPayload } = await import('payload')
    const { default: config } = await import('../src/payload.config')
    const payload = await getPayload({ config })
    const tutor = await createBenchTutor(payload, 'Commands Tutor', 'commands@bench.local')
    const password = 'bench passphrase 12345'
    const email = 'commands@student.bench.local'
    await payload.create({ collection: 'students', data: { email, password, fullName: 'Commands', timeZone: 'UTC', _verified: true }, disableVerificationEmail: true })
    await payload.destroy()

    const signIn = async () => {
      const response = await api('/api/students/login', { method: 'POST', body: JSON.stringify({ email, password }) })
      if (response.status !== 200) throw new Error(`sign-in: ${response.status}`)
      return ((await response.json()) as { token: string }).token
    }
    const token = await signIn()
    const from = new Date(Math.ceil(Date.now() / HOUR) * HOUR + DAY).toISOString()
    const to = new Date(Date.parse(from) + 7 * DAY).toISOString()
    const firstSlot = Math.ceil(Date.now() / HOUR) * HOUR + 2 * DAY
    let slot = 0
    const kinds: [string, () => Promise<Response>][] = [
      ['slot search (anonymous, cache warm)', () => api(`/api/tutors/${tutor.id}/availability?from=${from}&to=${to}&duration=30&tz=UTC`)],
      ['GET /api/tutors/:id (anonymous)', () => api(`/api/tutors/${tutor.id}`)],
      ['GET /api/tutors/:id (signed in)', () => api(`/api/tutors/${tutor.id}`, { headers: { authorization: `JWT ${token}` } })],
      ['sign-in (POST /api/students/login)', () => signIn().then(() => new Response(null))],
      [
        // Sequential bookings leave the server idle between them, so their background mail work runs at once:
        // counted together, after a pause for the last one's.
        'booking with its mail (POST /api/appointments + background: intent → outbox → SES)',
        () =>
          api('/api/appointments', {
            method: 'POST',
            headers: { authorization: `JWT ${token}` },
            body: JSON.stringify({ tutor: tutor.id, start: new Date(firstSlot + slot++ * 60 * 60_000).toISOString(), duration: 30 }),
          }),
      ],
    ]
    for (const [label, request] of kinds) {
      for (let i = 0; i < 3; i++) await (await request()).arrayBuffer() // warm
      await new Promise((resolve) => setTimeout(resolve, 2000))
      proxy.take()
      const serverBefore = processCpuSeconds(server.process.pid!)
      const databaseBefore = cpuSeconds(databaseProcesses)
      for (let i = 0; i < REQUESTS; i++) {
        const response = await request()
        if (response.status >= 400) throw new Error(`${label}: ${response.status} ${await response.text()}`)
        await response.arrayBuffer()
      }
      if (label.startsWith('booking')) await new Promise((resolve) => setTimeout(resolve, 4000))
      summarise(label, proxy.take(), REQUESTS, { server: processCpuSeconds(server.process.pid!) - serverBefore, database: cpuUsedSince(databaseBefore, cpuSeconds(databaseProcesses)) })
    }
  } finally {
    await server.stop()
    await ses.stop()
    await database.stop()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
