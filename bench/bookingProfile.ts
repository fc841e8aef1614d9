/**
 * Where a booking's time goes: the production server behind a MongoDB wire-protocol proxy that decodes each
 * command (name + collection) and times it. Books BOOKINGS slots one after the other (commands per booking,
 * wall time) and then PARALLEL at once, and prints the commands per booking grouped by collection.
 *
 *   npx tsx bench/bookingProfile.ts            # BOOKINGS=20 PARALLEL=20
 *   CPU_PROF_DIR=/tmp/prof npx tsx bench/bookingProfile.ts   # also a V8 CPU profile of the server
 */
import fs from 'node:fs'
import net from 'node:net'

import autocannon from 'autocannon'

import { waitForBookingMail } from './mailDrain'
import { cpuSeconds, cpuUsedSince, databaseProcessMatchers } from './processCpu'
import { benchEnv, createBenchTutor } from './benchServices'
import { SERVER_BUNDLE } from '../scripts/build-server'
import { startLocalDatabase } from '../scripts/local-db'
import { startLocalSes } from '../scripts/local-ses'
import { startAppServer } from '../test/helpers/appServer'
import type { Tutor } from '../src/payload-types'

const BOOKINGS = Number(process.env.BOOKINGS || 20)
const LOAD_S = Number(process.env.LOAD_S || 10)
const PARALLEL = Number(process.env.PARALLEL || 20)
const DAY = 86_400_000
const HOUR = 3_600_000

type Command = { name: string; collection: string; ms: number; at: number }

/** First element of a BSON document: its key (the command name) and, when a string, its value (the collection). */
function firstElement(buffer: Buffer, offset: number): { key: string; value?: string } {
  const type = buffer[offset + 4]
  let end = offset + 5
  while (buffer[end] !== 0) end++
  const key = buffer.toString('utf8', offset + 5, end)
  if (type === 0x02) {
    const length = buffer.readInt32LE(end + 1)
    return { key, value: buffer.toString('utf8', end + 5, end + 5 + length - 1) }
  }
  return { key }
}

async function startDecodingProxy(target: number) {
  const commands: Command[] = []
  const pending = new Map<string, { name: string; collection: string; at: number }>()
  let connectionSeq = 0
  const server = net.createServer((client) => {
    const connection = connectionSeq++
    const upstream = net.connect(target, '127.0.0.1')
    const frames = (onFrame: (frame: Buffer) => void) => {
      let buffered = Buffer.alloc(0)
      return (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk])
        while (buffered.length >= 4) {
          const length = buffered.readInt32LE(0)
          if (buffered.length < length) break
          onFrame(buffered.subarray(0, length))
          buffered = buffered.subarray(length)
        }
      }
    }
    client.on('data', frames((frame) => {
      const requestId = frame.readInt32LE(4)
      const opCode = frame.readInt32LE(12)
      if (opCode === 2013 && frame[20] === 0) {
        const { key, value } = firstElement(frame, 21)
        pending.set(`${connection}:${requestId}`, { name: key, collection: value ?? '', at: performance.now() })
      }
    }))
    upstream.on('data', frames((frame) => {
      const responseTo = frame.readInt32LE(8)
      const started = pending.get(`${connection}:${responseTo}`)
      if (started) {
        pending.delete(`${connection}:${responseTo}`)
        commands.push({ ...started, ms: performance.now() - started.at })
      }
    }))
    client.pipe(upstream)
    upstream.pipe(client)
    const teardown = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', teardown)
    upstream.on('error', teardown)
    client.on('close', teardown)
    upstream.on('close', teardown)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    take: () => commands.splice(0, commands.length),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function summarise(label: string, commands: Command[], bookings: number) {
  const groups = new Map<string, { count: number; ms: number }>()
  for (const command of commands) {
    if (['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'saslStart', 'saslContinue'].includes(command.name)) continue
    const key = `${command.name} ${command.collection}`
    const group = groups.get(key) ?? { count: 0, ms: 0 }
    group.count++
    group.ms += command.ms
    groups.set(key, group)
  }
  const rows = [...groups.entries()].sort((a, b) => b[1].count - a[1].count)
  const total = rows.reduce((sum, [, group]) => sum + group.count, 0)
  console.log(`\n${label}: ${(total / bookings).toFixed(1)} database commands per booking`)
  console.log('| command collection | per booking | mean ms |')
  console.log('|---|---:|---:|')
  for (const [key, group] of rows) console.log(`| ${key} | ${(group.count / bookings).toFixed(2)} | ${(group.ms / group.count).toFixed(1)} |`)
}

async function main() {
  const database = await startLocalDatabase({ fresh: true, dbName: 'tutortrack_profile', ignoreEnvironment: true, log: () => {} })
  const ses = await startLocalSes()
  const port = Number(new URL(database.uri).port)
  const proxy = await startDecodingProxy(port)
  const uri = database.uri.replace(`:${port}/`, `:${proxy.port}/`)
  const env = benchEnv(uri, ses.endpoint, { RATE_LIMIT_DISABLED: 'true', EMAIL_DISPATCH_ENABLED: process.env.EMAIL_DISPATCH_ENABLED ?? '0' })
  Object.assign(process.env, { ...env, DATABASE_URI: database.uri, NODE_OPTIONS: '' })
  const server = await startAppServer(env, { nodeArgs: process.env.CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF_DIR}`] : [] })
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) } })
  try {
    const { getPayload } = await import('payload')
    const { default: config } = await import('../src/payload.config')
    const payload = await getPayload({ config })
    const tutor = await createBenchTutor(payload, 'Profile Tutor', 'profile@bench.local')
    const password = 'bench passphrase 12345'
    const tokens: string[] = []
    for (let i = 0; i < Math.max(PARALLEL, 4); i++) {
      const email = `profile${i}@student.bench.local`
      await payload.create({ collection: 'students', data: { email, password, fullName: `Profile ${i}`, timeZone: 'America/New_York', _verified: true }, disableVerificationEmail: true })
      const login = await api('/api/students/login', { method: 'POST', body: JSON.stringify({ email, password }) })
      tokens.push(((await login.json()) as { token: string }).token)
    }
    await payload.destroy()

    let n = 0
    const firstSlot = Math.ceil(Date.now() / HOUR) * HOUR + 2 * DAY
    const book = async (token: string) => {
      const slot = n++
      const started = performance.now()
      const response = await api('/api/appointments', {
        method: 'POST',
        headers: { authorization: `JWT ${token}` },
        body: JSON.stringify({ tutor: tutor.id, start: new Date(firstSlot + slot * 30 * 60_000).toISOString(), duration: 30 }),
      })
      if (response.status !== 201) throw new Error(`booking ${slot}: ${response.status} ${await response.text()}`)
      await response.arrayBuffer()
      return performance.now() - started
    }
    // Warm-up (first compile, caches), then measure.
    for (let i = 0; i < 3; i++) await book(tokens[i % tokens.length])
    await new Promise((resolve) => setTimeout(resolve, 1500))
    proxy.take()

    const times: number[] = []
    for (let i = 0; i < BOOKINGS; i++) times.push(await book(tokens[i % tokens.length]))
    const sequentialInRequest = proxy.take()
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const sequentialAfter = proxy.take()
    times.sort((a, b) => a - b)
    console.log(`sequential: ${BOOKINGS} bookings, p50 ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`)
    summarise('sequential, during the requests', sequentialInRequest, BOOKINGS)
    summarise('sequential, background work after them (kicks, dispatcher)', sequentialAfter, BOOKINGS)

    const started = performance.now()
    const parallel = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => book(tokens[i % tokens.length])))
    const wall = performance.now() - started
    parallel.sort((a, b) => a - b)
    console.log(`\nparallel: ${PARALLEL} bookings at once in ${wall.toFixed(0)} ms (${((PARALLEL / wall) * 1000).toFixed(1)}/s), p50 ${parallel[Math.floor(PARALLEL / 2)].toFixed(0)} ms`)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    summarise('parallel, all commands', proxy.take(), PARALLEL)

    if (LOAD_S > 0) {
      // Sustained load like bench/booking.ts, with the CPU each process spent per booking.
      const groups = {
        server: (cmdline: string) => cmdline.includes(SERVER_BUNDLE),
        ...databaseProcessMatchers(database.uri),
        'local SES': (cmdline: string) => cmdline.includes('aws-ses-v2-local') && cmdline.includes(`--port ${ses.port}`),
      }
      const before = Object.fromEntries(Object.entries(groups).map(([name, match]) => [name, cpuSeconds(match)]))
      const pid = server.process.pid!
      const tokenOf = (i: number) => tokens[i % tokens.length]
      const result = await autocannon({
        url: server.url,
        connections: 20,
        duration: LOAD_S,
        requests: [{
          method: 'POST',
          path: '/api/appointments',
          setupRequest: (request) => {
            const slot = n++
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `JWT ${tokenOf(slot)}` },
              body: JSON.stringify({ tutor: tutor.id, start: new Date(firstSlot + slot * 30 * 60_000).toISOString(), duration: 30 }),
            }
          },
        }],
      })
      const booked = result['2xx']
      // The mail each booking queued in the background is part of its cost: wait until it is all done.
      const drainSeconds = await waitForBookingMail(database.uri, 200)
      console.log(`\nmail of the sustained bookings settled ${drainSeconds.toFixed(1)} s after the load ended`)
      console.log(`\nsustained: ${result.requests.average.toFixed(1)} bookings/s over ${LOAD_S} s (${booked} booked, ${result.non2xx} non-2xx), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (server pid ${pid})`)
      for (const [name, match] of Object.entries(groups)) {
        const used = cpuUsedSince(before[name], cpuSeconds(match))
        console.log(`  ${name.padEnd(9)} ${used.toFixed(1)} CPU s = ${((used / booked) * 1000).toFixed(1)} CPU ms per booking`)
      }
      await new Promise((resolve) => setTimeout(resolve, 3000))
      summarise('sustained, all commands', proxy.take(), booked)
    }
  } finally {
    await server.stop()
    await proxy.close()
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
