/**
 * `npm run bench` (overload part): one production server on a fresh database per row; for the slot search and for
 * the tutor's page, first its capacity (20 connections, as bench/booking.ts), then ~3× that rate offered — the
 * search by autocannon's overallRate over many connections, the page as an open loop (a fixed arrival rate) — as
 * deployed (load shedding on, src/security/loadShedding.ts) and, for comparison, with LOAD_SHED_MAX_IN_FLIGHT=0
 * (everything queued). Prints what was sent, accepted req/s, p50/p99 of what was accepted, the share shed
 * (503 + Retry-After) and p99 of those refusals. The load generator runs on the same cores as the server.
 */
import fs from 'node:fs'
import os from 'node:os'

import autocannon from 'autocannon'
import { MongoClient, ObjectId } from 'mongodb'

import type { Tutor } from '../src/payload-types'
import { DEPLOYMENT_NODE_OPTIONS, percentile, rssMb, startBenchServices, createBenchTutor } from './benchServices'
import { cpuSeconds, cpuUsedSince, databaseProcessMatchers, processCpuSeconds } from './processCpu'
import { startAppServer } from '../test/helpers/appServer'

const DURATION_S = Number(process.env.BENCH_DURATION_S || 10)
const OVERLOAD_FACTOR = Number(process.env.BENCH_OVERLOAD_FACTOR || 3)
const OVERLOAD_CONNECTIONS = Number(process.env.BENCH_OVERLOAD_CONNECTIONS || 200)
const COMPARE = process.env.BENCH_OVERLOAD_COMPARE !== '0'
const DAY = 86_400_000
const HOUR = 3_600_000

type Row = {
  name: string
  offered: number
  /** What the load generator managed to send (answers and timeouts per second): on shared cores it can fall short. */
  sentRps: number
  acceptedRps: number
  p50: number
  p99: number
  shedShare: number
  shedP99: number
  withoutRetryAfter: number
  other: number
  timeouts: number
  peakRssMb: number
  /** CPU ms per answer (accepted or shed) of the server process, and of the database (FerretDB + PostgreSQL). */
  serverCpuMs: number
  databaseCpuMs: number
}

let databaseMatch: (cmdline: string) => boolean = () => false

type Outcomes = { accepted: number[]; shed: number[]; withoutRetryAfter: number; other: number; timeouts: number }

/**
 * Arrivals at a fixed rate, whatever the answers (an open loop, as independent visitors arrive), each request with
 * its own 10 s timeout. autocannon's connections wait for their answers before sending again (a closed loop): a
 * slow server then slows its own load, and a queue of 200 connections says little about what one visitor meets.
 */
async function openLoop(url: string, rate: number): Promise<Outcomes> {
  const outcomes: Outcomes = { accepted: [], shed: [], withoutRetryAfter: 0, other: 0, timeouts: 0 }
  const pending: Promise<void>[] = []
  const started = performance.now()
  for (let i = 0; i < rate * DURATION_S; i++) {
    const wait = started + (i * 1000) / rate - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const sentAt = performance.now()
    pending.push(
      (async () => {
        try {
          // The timeout covers the body too: a page whose headers came but whose body did not is a timeout.
          const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
          await response.arrayBuffer()
          const ms = performance.now() - sentAt
          if (response.status === 200) outcomes.accepted.push(ms)
          else if (response.status === 503) {
            outcomes.shed.push(ms)
            if (!response.headers.has('retry-after')) outcomes.withoutRetryAfter += 1
          } else outcomes.other += 1
        } catch {
          outcomes.timeouts += 1
        }
      })(),
    )
  }
  await Promise.all(pending)
  return outcomes
}

async function run(name: string, pid: number, url: string, options: { connections: number; overallRate?: number; openLoop?: boolean }): Promise<Row> {
  let peak = rssMb(pid)
  const serverBefore = processCpuSeconds(pid)
  const databaseBefore = cpuSeconds(databaseMatch)
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100)
  const { accepted, shed, withoutRetryAfter, other, timeouts } =
    options.openLoop && options.overallRate ? await openLoop(url, options.overallRate) : await closedLoop(url, options)
  clearInterval(sampler)
  const serverCpu = processCpuSeconds(pid) - serverBefore
  const databaseCpu = cpuUsedSince(databaseBefore, cpuSeconds(databaseMatch))
  accepted.sort((a, b) => a - b)
  shed.sort((a, b) => a - b)
  const answered = accepted.length + shed.length + other
  return {
    name,
    offered: options.overallRate ?? 0,
    sentRps: (answered + timeouts) / DURATION_S,
    acceptedRps: accepted.length / DURATION_S,
    p50: percentile(accepted, 50),
    p99: percentile(accepted, 99),
    shedShare: answered ? shed.length / (answered + timeouts) : 0,
    shedP99: percentile(shed, 99),
    withoutRetryAfter,
    other,
    timeouts,
    peakRssMb: Math.round(peak),
    serverCpuMs: answered ? (serverCpu * 1000) / answered : 0,
    databaseCpuMs: answered ? (databaseCpu * 1000) / answered : 0,
  }
}

/** autocannon: `connections` each sending again once answered (at most `overallRate` in all). */
async function closedLoop(url: string, options: { connections: number; overallRate?: number }): Promise<Outcomes> {
  const accepted: number[] = []
  const shed: number[] = []
  let withoutRetryAfter = 0
  let other = 0
  // Without a callback autocannon returns a promise that is also its event emitter (the types show only the promise).
  const instance = autocannon({
    url,
    connections: options.connections,
    overallRate: options.overallRate,
    duration: DURATION_S,
    timeout: 10,
    requests: [
      {
        onResponse: (status, _body, _context, headers) => {
          // Raw header names, as the server spelled them.
          if (status === 503 && !Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'retry-after')) withoutRetryAfter += 1
        },
      },
    ],
  }) as unknown as Promise<autocannon.Result> & { on: (event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void) => void }
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === 200) accepted.push(ms)
    else if (status === 503) shed.push(ms)
    else other += 1
  })
  const result = await instance
  return { accepted, shed, withoutRetryAfter, other, timeouts: result.timeouts }
}

async function main() {
  const services = await startBenchServices('tutortrack_bench_overload')
  const { database, env } = services
  const matchers = databaseProcessMatchers(database.uri)
  databaseMatch = (cmdline) => matchers.ferretdb(cmdline) || matchers.postgres(cmdline)
  const servers: Awaited<ReturnType<typeof startAppServer>>[] = []
  try {
    const { getPayload } = await import('payload')
    const { default: config } = await import('../src/payload.config')
    const payload = await getPayload({ config })
    const tutor = await createBenchTutor(payload, 'Bench Overload', 'overload@bench.local')
    const student = await payload.create({
      collection: 'students',
      data: { email: 'overload@student.bench.local', password: 'bench passphrase 12345', fullName: 'Bench', timeZone: 'UTC', _verified: true },
      disableVerificationEmail: true,
    })
    await payload.destroy()
    // 100 appointments over two years, as the booking bench's first search row.
    const client = new MongoClient(database.uri)
    await client.connect()
    const first = Date.now() - 365 * DAY
    await client
      .db()
      .collection('appointments')
      .insertMany(
        Array.from({ length: 100 }, (_, i) => {
          const start = new Date(Math.floor((first + i * 7.3 * DAY) / 300_000) * 300_000)
          return {
            _id: new ObjectId(),
            title: 'bench',
            tutor: new ObjectId(String(tutor.id)),
            student: new ObjectId(String(student.id)),
            start,
            end: new Date(start.getTime() + 30 * 60_000),
            status: 'booked',
            bookingKey: `overload-${i}`,
            createdAt: new Date(),
            updatedAt: new Date(),
          }
        }),
      )
    await client.close()

    const from = new Date(Math.ceil(Date.now() / HOUR) * HOUR + DAY).toISOString()
    const to = new Date(Date.parse(from) + 7 * DAY).toISOString()
    // Two routes: the cheapest read (the slot search, ~0.15 ms of server CPU: autocannon's closed loop, since only it
    // can offer 3× that here, and even it tires before the server does) and the tutor's page (a server-rendered page,
    // ~25 ms: offered as an open loop, requests at a fixed rate whatever the answers, as visitors arrive).
    // BENCH_OVERLOAD_ROUTES=search or =page runs one of them.
    const routes = [
      { key: 'search', openLoop: false, name: 'slot search (100 appointments)', path: `/api/tutors/${tutor.id}/availability?from=${from}&to=${to}&duration=30&tz=America/New_York` },
      { key: 'page', openLoop: true, name: 'tutor page /tutors/<slug>', path: `/tutors/${tutor.slug}` },
    ].filter((route) => (process.env.BENCH_OVERLOAD_ROUTES ?? 'search,page').split(',').includes(route.key))

    const rows: Row[] = []
    console.log('\nTutorTrack overload benchmark — 1 replica, %d s per row, %d connections when overloaded; %d cores\n', DURATION_S, OVERLOAD_CONNECTIONS, os.cpus().length)
    console.log('| route | scenario | offered req/s | sent req/s | accepted req/s | p50 accepted ms | p99 accepted ms | shed (503) | p99 shed ms | 503 without Retry-After | other status | timeouts | peak RSS MB | server CPU ms/answer | database CPU ms/answer | load average (1 min) |')
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    // Each row as soon as it is measured, with the machine's load then.
    const print = (route: string, row: Row) => {
      rows.push(row)
      console.log(
        `| ${route} | ${row.name} | ${row.offered || '—'} | ${row.sentRps.toFixed(0)} | ${row.acceptedRps.toFixed(0)} | ${row.p50.toFixed(0)} | ${row.p99.toFixed(0)} | ${(row.shedShare * 100).toFixed(1)} % | ${row.shedP99.toFixed(0)} | ${row.withoutRetryAfter} | ${row.other} | ${row.timeouts} | ${row.peakRssMb} | ${row.serverCpuMs.toFixed(2)} | ${row.databaseCpuMs.toFixed(2)} | ${os.loadavg()[0].toFixed(1)} |`,
      )
    }
    const measureOn = async (route: (typeof routes)[number], label: string, extraEnv: Record<string, string>, capacityRps?: number) => {
      // A loaded machine can take minutes to start a server.
      // With the Deployment's heap bound, as every bench row: its peak RSS is the replica's under overload.
      const server = await startAppServer({ ...env, NODE_OPTIONS: DEPLOYMENT_NODE_OPTIONS, ...extraEnv }, { timeoutMs: 300_000 })
      servers.push(server)
      const url = `${server.url}${route.path}`
      for (let i = 0; i < 50; i++) await (await fetch(url)).arrayBuffer() // warm caches and JIT
      const pid = server.process.pid!
      let capacity = capacityRps
      if (capacity === undefined) {
        const row = await run('capacity: 20 connections', pid, url, { connections: 20 })
        print(route.name, row)
        capacity = row.acceptedRps
      }
      const offered = Math.round(capacity * OVERLOAD_FACTOR)
      const row = await run(route.openLoop ? `${label}, open loop` : label, pid, url, { connections: OVERLOAD_CONNECTIONS, overallRate: offered, openLoop: route.openLoop })
      print(route.name, row)
      await server.stop()
      return { capacity, row }
    }
    // LOAD_SHED_* in this process's environment reach the server; without them it runs with its own defaults, as
    // deployed (startAppServer turns shedding off for the test suite's race proofs unless told otherwise).
    const tunedEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('LOAD_SHED_'))) as Record<string, string>
    const tuned = Object.entries(tunedEnv).map(([name, value]) => `${name}=${value}`)
    const asDeployed = { LOAD_SHED_MAX_IN_FLIGHT: '', ...tunedEnv }
    const summaries: string[] = []
    for (const route of routes) {
      const on = await measureOn(route, `${OVERLOAD_FACTOR}× offered, shedding on (${tuned.length ? tuned.join(' ') : 'defaults'})`, asDeployed)
      if (COMPARE) await measureOn(route, `${OVERLOAD_FACTOR}× offered, shedding off (LOAD_SHED_MAX_IN_FLIGHT=0)`, { LOAD_SHED_MAX_IN_FLIGHT: '0' }, on.capacity)
      summaries.push(
        `${route.name}, shedding on: sent ${on.row.sentRps.toFixed(0)} of ${on.row.offered} req/s offered; p99 of accepted ${on.row.p99.toFixed(0)} ms (target < 1,000); ` +
          `${(on.row.shedShare * 100).toFixed(1)} % shed, p99 of refusals ${on.row.shedP99.toFixed(0)} ms`,
      )
    }
    console.log(`\n${summaries.join('\n')}`)
  } finally {
    for (const server of servers) if (server.process.exitCode === null) await server.stop()
    await services.stop()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
