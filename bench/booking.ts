/**
 * `npm run bench` (booking part): Payload's own GET /api/tutors/:id as the baseline, the availability search
 * and the /tutors/<slug> page for a tutor with 100 and with 10,000 future appointments, booking distinct free
 * slots of one tutor with 10,000 future appointments while its slots are searched, booking distinct free slots
 * of a fresh tutor, and the JavaScript /tutors/<slug> ships — one production server (run with the Deployment's
 * NODE_OPTIONS), one fresh database, autocannon on loopback. Prints req/s, p50/p99 latency, peak RSS and ratios.
 * BENCH_DURATION_S, BENCH_CONNECTIONS and BENCH_APPOINTMENTS (default 10,000) shrink it while developing.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

import autocannon from 'autocannon'
import { MongoClient, ObjectId } from 'mongodb'

import type { Tutor } from '../src/payload-types'
import { createBenchTutor, DEPLOYMENT_NODE_OPTIONS, rssMb, startBenchServices } from './benchServices'
import { cpuSeconds, cpuUsedSince, databaseProcessMatchers, processCpuSeconds } from './processCpu'
import { waitForBookingMail } from './mailDrain'
import { startAppServer } from '../test/helpers/appServer'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 20)
const DURATION_S = Number(process.env.BENCH_DURATION_S || 10)
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIG = Number(process.env.BENCH_APPOINTMENTS || 10_000)
const DAY = 86_400_000
const HOUR = 3_600_000

type Row = {
  name: string
  rps: number
  p50: number
  p99: number
  non2xx: number
  /** The answers other than 2xx, by status (e.g. "409 × 3"), so a row with failures says which. */
  non2xxStatuses: string
  errors: number
  peakRssMb: number
  /** CPU ms per request of the server process, and of the database (FerretDB + PostgreSQL), over the row. */
  serverCpuMs: number
  databaseCpuMs: number
}

/** The local database's processes (FerretDB and its PostgreSQL backends), set once the database is up. */
let databaseMatch: (cmdline: string) => boolean = () => false

async function measure(name: string, pid: number, options: autocannon.Options): Promise<Row> {
  return (await measureTogether(pid, [{ name, options }]))[0]
}

/** Several autocannon runs at once (e.g. bookings and searches of one tutor), one peak RSS for all. */
async function measureTogether(pid: number, runs: { name: string; options: autocannon.Options }[]): Promise<Row[]> {
  let peak = rssMb(pid)
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100)
  const serverBefore = processCpuSeconds(pid)
  const databaseBefore = cpuSeconds(databaseMatch)
  const results = await Promise.all(runs.map(({ options }) => autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options })))
  clearInterval(sampler)
  // Runs measured together share the CPU: it is divided over all their requests.
  const requests = Math.max(1, results.reduce((sum, result) => sum + result.requests.total, 0))
  const serverCpuMs = ((processCpuSeconds(pid) - serverBefore) * 1000) / requests
  const databaseCpuMs = (cpuUsedSince(databaseBefore, cpuSeconds(databaseMatch)) * 1000) / requests
  return results.map((result, i) => ({
    name: runs[i].name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    non2xxStatuses: Object.entries(result.statusCodeStats ?? {})
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, { count }]) => `${status} × ${count}`)
      .join(', '),
    errors: result.errors,
    peakRssMb: Math.round(peak),
    serverCpuMs,
    databaseCpuMs,
  }))
}

/** A tutor's 10,000 future appointments: 40 half-hours a day from 00:00 to 20:00 UTC from tomorrow on, plus 100 past. */
function denseCalendarDocs(tutorId: ObjectId, studentId: ObjectId, count: number) {
  const firstDay = Math.floor(Date.now() / DAY) * DAY + DAY
  const future = Array.from({ length: count }, (_, i) => firstDay + Math.floor(i / 40) * DAY + (i % 40) * 30 * 60_000)
  const past = Array.from({ length: 100 }, (_, i) => firstDay - (i + 2) * DAY)
  return [...past, ...future].map((start, i) => ({
    _id: new ObjectId(),
    title: 'bench',
    tutor: tutorId,
    student: studentId,
    start: new Date(start),
    end: new Date(start + 30 * 60_000),
    status: 'booked',
    bookingKey: `bench-${tutorId.toHexString()}-${i}`,
    createdAt: new Date(),
    updatedAt: new Date(),
  }))
}

/** The free half-hours of a dense calendar (20:00–24:00 UTC of its days), in order, from the day after tomorrow. */
function denseCalendarFreeStarts(count: number): number[] {
  const firstDay = Math.floor(Date.now() / DAY) * DAY + 2 * DAY
  return Array.from({ length: count }, (_, i) => firstDay + Math.floor(i / 8) * DAY + 20 * HOUR + (i % 8) * 30 * 60_000)
}

/**
 * The JavaScript a page ships, gzipped at level 9: every `<script src>` that is not `noModule`, read from
 * .next/static. `framework`: the same for a page with nothing of ours on it (a 404), to see what the page adds.
 */
async function shippedJs(baseUrl: string, pagePath: string, emptyPath: string) {
  const scripts = async (pathname: string) => {
    const html = await (await fetch(`${baseUrl}${pathname}`)).text()
    return new Set(
      [...html.matchAll(/<script\b[^>]*>/g)]
        .map((match) => match[0])
        .filter((tag) => !/\bnoModule\b/i.test(tag))
        .map((tag) => tag.match(/\bsrc="([^"]+)"/)?.[1])
        .filter((src): src is string => !!src && src.startsWith('/_next/static/')),
    )
  }
  const gzipped = (src: string) => zlib.gzipSync(fs.readFileSync(path.join(repoRoot, '.next/static', decodeURIComponent(src.replace(/^\/_next\/static\//, '').replace(/\?.*$/, '')))), { level: 9 }).length
  const page = await scripts(pagePath)
  const empty = await scripts(emptyPath)
  const total = [...page].reduce((sum, src) => sum + gzipped(src), 0)
  const beyond = [...page].filter((src) => !empty.has(src)).reduce((sum, src) => sum + gzipped(src), 0)
  return { files: page.size, totalKb: total / 1024, beyondKb: beyond / 1024 }
}

function appointmentDocs(tutorId: ObjectId, studentId: ObjectId, count: number, spanDays: number) {
  // Spread over the past and future year, like a busy tutor's history and calendar.
  const first = Date.now() - (spanDays / 2) * DAY
  const step = Math.floor((spanDays * DAY) / count / (5 * 60_000)) * 5 * 60_000
  return Array.from({ length: count }, (_, i) => {
    const start = new Date(Math.floor((first + i * step) / 300_000) * 300_000)
    return {
      _id: new ObjectId(),
      title: 'bench',
      tutor: tutorId,
      student: studentId,
      start,
      end: new Date(start.getTime() + 30 * 60_000),
      status: 'booked',
      bookingKey: `bench-${tutorId.toHexString()}-${i}`,
      createdAt: new Date(),
      updatedAt: new Date(),
    }
  })
}

async function main() {
  const services = await startBenchServices('tutortrack_bench')
  const { database, env } = services
  const matchers = databaseProcessMatchers(database.uri)
  databaseMatch = (cmdline) => matchers.ferretdb(cmdline) || matchers.postgres(cmdline)
  const server = await startAppServer({ ...env, NODE_OPTIONS: DEPLOYMENT_NODE_OPTIONS }, { timeoutMs: 240_000 })
  const activeServers: Awaited<ReturnType<typeof startAppServer>>[] = []
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) } })

  try {
    // Seed through the API where rules matter, and in bulk where only volume matters.
    const { getPayload } = await import('payload')
    const { default: config } = await import('../src/payload.config')
    const payload = await getPayload({ config })
    const makeTutor = (name: string): Promise<Tutor> => createBenchTutor(payload, name, `${name.replace(/\W+/g, '').toLowerCase()}@bench.local`)
    const tutor100 = await makeTutor('Bench Hundred')
    const tutor10k = await makeTutor('Bench Ten Thousand')
    const busyTutor = await makeTutor('Bench Busy Booking')
    const bookingTutor = await makeTutor('Bench Booking')
    const password = 'bench passphrase 12345'
    const students = [] as { id: string; token: string }[]
    for (let i = 0; i < 40; i++) {
      const email = `bench${i}@student.bench.local`
      const student = await payload.create({ collection: 'students', data: { email, password, fullName: `Bench ${i}`, timeZone: 'UTC', _verified: true }, disableVerificationEmail: true })
      const login = await api('/api/students/login', { method: 'POST', body: JSON.stringify({ email, password }) })
      students.push({ id: String(student.id), token: ((await login.json()) as { token: string }).token })
    }
    const client = new MongoClient(database.uri)
    await client.connect()
    const appointments = client.db().collection('appointments')
    await appointments.insertMany(appointmentDocs(new ObjectId(String(tutor100.id)), new ObjectId(students[0].id), 100, 730))
    // Both big calendars belong to students[1], who therefore books nothing below.
    for (const big of [tutor10k, busyTutor]) {
      const docs = denseCalendarDocs(new ObjectId(String(big.id)), new ObjectId(students[1].id), BIG)
      for (let at = 0; at < docs.length; at += 1000) await appointments.insertMany(docs.slice(at, at + 1000))
    }
    await client.close()
    await payload.destroy()

    const from = new Date(Math.ceil(Date.now() / HOUR) * HOUR + DAY).toISOString()
    const to = new Date(Date.parse(from) + 7 * DAY).toISOString()
    const availability = (id: string | number) => `/api/tutors/${id}/availability?from=${from}&to=${to}&duration=30&tz=America/New_York`
    // The first search of each loads the whole calendar (once per replica): what that load costs.
    const coldStarted = performance.now()
    await api(availability(tutor100.id))
    const cold100 = performance.now() - coldStarted
    const check = await api(availability(tutor10k.id))
    const checkBody = (await check.json()) as { slots: unknown[] }
    console.log(`availability check: ${check.status}, ${checkBody.slots.length} open slots in 7 days for the ${BIG} tutor`)
    console.log(`first search (whole-calendar load): ${cold100.toFixed(0)} ms at 100 appts, ${(performance.now() - coldStarted - cold100).toFixed(0)} ms at ${BIG}`)
    const page = (tutor: Tutor) => `/tutors/${tutor.slug}`
    const pageCheck = await api(page(tutor10k))
    console.log(`page check: ${pageCheck.status} ${page(tutor10k)}`)

    // Warm up each route once so first-compile costs are not measured.
    for (const path of [`/api/tutors/${tutor100.id}`, availability(tutor100.id), page(tutor100), page(tutor10k), availability(busyTutor.id)]) await api(path)

    const pid = server.process.pid!
    const rows: Row[] = []
    rows.push(await measure('baseline GET /api/tutors/:id', pid, { url: `${server.url}/api/tutors/${tutor100.id}` }))
    rows.push(await measure('availability (100 appts)', pid, { url: `${server.url}${availability(tutor100.id)}` }))
    rows.push(await measure(`availability (${BIG.toLocaleString('en')} appts)`, pid, { url: `${server.url}${availability(tutor10k.id)}` }))
    rows.push(await measure('page /tutors/<slug> (100 appts)', pid, { url: `${server.url}${page(tutor100)}` }))
    rows.push(await measure(`page /tutors/<slug> (${BIG.toLocaleString('en')} appts)`, pid, { url: `${server.url}${page(tutor10k)}` }))

    // One tutor with BIG future appointments, booked at distinct free slots by 20 connections while 20 others
    // search that tutor's slots over the week being booked: every booking changes the calendar the searches read.
    const busyFree = denseCalendarFreeStarts(20_000)
    let busyTaken = 0
    // Not students[0] and [1] (their calendars are the seeded ones), and not the students of the booking rows below:
    // a student is never double-booked, so sharing students across tutors would turn some bookings into 409s.
    const bookers = students.slice(2, 21)
    const busySearchFrom = new Date(Math.floor(Date.now() / DAY) * DAY + 2 * DAY).toISOString()
    const busySearchTo = new Date(Date.parse(busySearchFrom) + 7 * DAY).toISOString()
    const [busyBookingRow, busySearchRow] = await measureTogether(pid, [
      {
        name: `POST booking, one tutor with ${BIG.toLocaleString('en')} appts`,
        options: {
          url: server.url,
          requests: [
            {
              method: 'POST',
              path: '/api/appointments',
              setupRequest: (request) => {
                const n = busyTaken++
                const student = bookers[n % bookers.length]
                return {
                  ...request,
                  headers: { 'content-type': 'application/json', authorization: `JWT ${student.token}` },
                  body: JSON.stringify({ tutor: busyTutor.id, start: new Date(busyFree[n]).toISOString(), duration: 30 }),
                }
              },
            },
          ],
        },
      },
      {
        name: '  slot search of that tutor meanwhile',
        options: { url: `${server.url}/api/tutors/${busyTutor.id}/availability?from=${busySearchFrom}&to=${busySearchTo}&duration=30&tz=America/New_York` },
      },
    ])
    rows.push(busyBookingRow, busySearchRow)
    const js = await shippedJs(server.url, page(tutor100), '/no-such-page-for-the-bench')
    await waitForBookingMail(database.uri)

    // Each booking run takes distinct 30-minute slots of its own, in turn for each signed-in student.
    let slotsTaken = 0
    const slotBookers = students.slice(21)
    const firstSlot = Math.ceil(Date.now() / HOUR) * HOUR + 2 * DAY
    const bookingRequests = (): autocannon.Request[] => [
      {
        method: 'POST',
        path: '/api/appointments',
        setupRequest: (request) => {
          const n = slotsTaken++
          const student = slotBookers[n % slotBookers.length]
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: `JWT ${student.token}` },
            body: JSON.stringify({ tutor: bookingTutor.id, start: new Date(firstSlot + n * 30 * 60_000).toISOString(), duration: 30 }),
          }
        },
      },
    ]
    // As deployed: each booking's mail waits while the server is answering requests (up to
    // EMAIL_BACKGROUND_YIELD_MS), so this is what the bookings cost; their mail follows once the load ends.
    rows.push(await measure('POST booking (distinct slots)', pid, { url: server.url, requests: bookingRequests() }))
    const drainS = await waitForBookingMail(database.uri)

    // The same path with the mail keeping pace (no giving way; once 64 bookings are ahead of their mail, each
    // request waits for its own), on a second server over the same database: what bookings and their mail
    // (rendering, SES, outbox writes) sustain together on these cores when bookings never stop.
    await server.stop()
    const eager = await startAppServer({ ...env, NODE_OPTIONS: DEPLOYMENT_NODE_OPTIONS, EMAIL_BACKGROUND_YIELD_MS: '0', EMAIL_BACKGROUND_BACKLOG: '64' }, { timeoutMs: 240_000 })
    activeServers.push(eager)
    rows.push(await measure('POST booking, mail keeping pace', eager.process.pid!, { url: eager.url, requests: bookingRequests() }))
    const eagerDrainS = await waitForBookingMail(database.uri)

    const baseline = rows[0]
    console.log('\nTutorTrack booking benchmark — %d connections, %d s each, production build, FerretDB\n', CONNECTIONS, DURATION_S)
    console.log('| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | peak RSS MB | server CPU ms/req | database CPU ms/req |')
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const row of rows) {
      console.log(
        `| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.non2xx} | ${row.errors} | ${row.peakRssMb} | ${row.serverCpuMs.toFixed(2)} | ${row.databaseCpuMs.toFixed(2)} |`,
      )
    }
    for (const row of rows.filter((candidate) => candidate.non2xx > 0)) console.log(`non-2xx answers of "${row.name.trim()}": ${row.non2xxStatuses}`)
    const ratio = (row: Row) => (row.rps / baseline.rps).toFixed(2)
    console.log(`\navailability ÷ baseline (100 appts):    ${ratio(rows[1])}  (target ≥ 3)`)
    console.log(`availability ÷ baseline (10,000 appts): ${ratio(rows[2])}  (target ≥ 3)`)
    console.log(`p50 at 10,000 ÷ p50 at 100:             ${(rows[2].p50 / Math.max(rows[1].p50, 0.001)).toFixed(2)}  (target ≤ 1.2)`)
    console.log(`page ÷ baseline (100 / 10,000 appts):   ${ratio(rows[3])} / ${ratio(rows[4])}`)
    console.log(`JavaScript shipped to /tutors/<slug>:   ${js.totalKb.toFixed(1)} kB gzip -9 in ${js.files} files; ${js.beyondKb.toFixed(1)} kB (${((100 * js.beyondKb) / Math.max(js.totalKb, 0.001)).toFixed(0)} %) beyond the framework chunks of an empty page`)
    console.log(`server NODE_OPTIONS: ${DEPLOYMENT_NODE_OPTIONS || '(none)'}; peak RSS of all rows: ${Math.max(...rows.map((row) => row.peakRssMb))} MB (target ≤ 512)`)
    console.log(`booking ÷ baseline:                     ${ratio(rows[7])}  (target ≥ 0.5; the mail of those bookings was all sent ${drainS.toFixed(1)} s after the run ended)`)
    console.log(`booking ÷ baseline, mail keeping pace:  ${ratio(rows[8])}  (target ≥ 0.25; bookings and their mail on the same cores; last mail ${eagerDrainS.toFixed(1)} s after the run)`)
    // Here the database (FerretDB and PostgreSQL) shares the server's two cores; in production MongoDB runs on its
    // own hosts. What one replica sustains then is set by its own CPU per request: the same ratios by that.
    const byServerCpu = (row: Row) => (baseline.serverCpuMs / Math.max(row.serverCpuMs, 0.001)).toFixed(2)
    console.log(`by the server's own CPU per request (what a replica sustains with the database on other hosts):`)
    console.log(`  availability ÷ baseline (100 / 10,000): ${byServerCpu(rows[1])} / ${byServerCpu(rows[2])}`)
    console.log(`  booking ÷ baseline:                    ${byServerCpu(rows[7])}; mail keeping pace: ${byServerCpu(rows[8])}`)
  } finally {
    for (const running of [server, ...activeServers]) if (running.process.exitCode === null) await running.stop()
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
