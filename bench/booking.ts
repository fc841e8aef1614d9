/**
 * `npm run bench` (booking part): Payload's own GET /api/tutors/:id as the baseline, the availability search
 * for a tutor with 100 and with 10,000 appointments, and booking distinct free slots — one production
 * server, one fresh database, autocannon on loopback. Prints req/s, p50/p99 latency, peak RSS and ratios.
 */
import fs from 'node:fs'

import autocannon from 'autocannon'
import { MongoClient, ObjectId } from 'mongodb'

import type { Tutor } from '../src/payload-types'
import { waitForBookingMail } from './mailDrain'
import { startLocalDatabase } from '../scripts/local-db'
import { startLocalSes } from '../scripts/local-ses'
import { startAppServer } from '../test/helpers/appServer'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 20)
const DURATION_S = Number(process.env.BENCH_DURATION_S || 10)
const DAY = 86_400_000
const HOUR = 3_600_000

type Row = { name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number; peakRssMb: number }

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = status.match(/VmRSS:\s+(\d+) kB/)
  return match ? Number(match[1]) / 1024 : 0
}

async function measure(name: string, pid: number, options: autocannon.Options): Promise<Row> {
  let peak = rssMb(pid)
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100)
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...options })
  clearInterval(sampler)
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    peakRssMb: Math.round(peak),
  }
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
  const database = await startLocalDatabase({ fresh: true, dbName: 'tutortrack_bench', ignoreEnvironment: true, log: () => {} })
  const ses = await startLocalSes()
  const env = {
    DATABASE_URI: database.uri,
    SES_ENDPOINT: ses.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    PAYLOAD_SECRET: 'bench-secret',
    LOG_LEVEL: 'warn',
    // The benchmark measures the code path, not the abuse limits.
    RATE_LIMIT_DISABLED: 'true',
  }
  Object.assign(process.env, env)
  const server = await startAppServer(env)
  const activeServers: Awaited<ReturnType<typeof startAppServer>>[] = []
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) } })

  try {
    // Seed through the API where rules matter, and in bulk where only volume matters.
    const { getPayload } = await import('payload')
    const { default: config } = await import('../src/payload.config')
    const payload = await getPayload({ config })
    const allWeek = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, start: '00:00', end: '24:00' }))
    const makeTutor = (name: string): Promise<Tutor> =>
      payload.create({
        collection: 'tutors',
        data: {
          name,
          contactEmail: `${name.replace(/\W+/g, '').toLowerCase()}@bench.local`,
          timeZone: 'Europe/London',
          subjects: ['mathematics'],
          sessionLengths: [30, 60],
          weeklyAvailability: allWeek as Tutor['weeklyAvailability'],
          policy: { minimumNoticeHours: 0, bookingHorizonDays: 365 },
          active: true,
        } as Tutor,
      }) as Promise<Tutor>
    const tutor100 = await makeTutor('Bench Hundred')
    const tutor10k = await makeTutor('Bench Ten Thousand')
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
    for (let batch = 0; batch < 10; batch++) {
      const docs = appointmentDocs(new ObjectId(String(tutor10k.id)), new ObjectId(students[1].id), 10_000, 730).slice(batch * 1000, (batch + 1) * 1000)
      await appointments.insertMany(docs)
    }
    await client.close()
    await payload.destroy()

    const from = new Date(Math.ceil(Date.now() / HOUR) * HOUR + DAY).toISOString()
    const to = new Date(Date.parse(from) + 7 * DAY).toISOString()
    const availability = (id: string | number) => `/api/tutors/${id}/availability?from=${from}&to=${to}&duration=30&tz=America/New_York`
    const check = await api(availability(tutor10k.id))
    const checkBody = (await check.json()) as { slots: unknown[] }
    console.log(`availability check: ${check.status}, ${checkBody.slots.length} open slots in 7 days for the 10k tutor`)

    // Warm up each route once so first-compile costs are not measured.
    for (const path of [`/api/tutors/${tutor100.id}`, availability(tutor100.id)]) await api(path)

    const pid = server.process.pid!
    const rows: Row[] = []
    rows.push(await measure('baseline GET /api/tutors/:id', pid, { url: `${server.url}/api/tutors/${tutor100.id}` }))
    rows.push(await measure('availability (100 appts)', pid, { url: `${server.url}${availability(tutor100.id)}` }))
    rows.push(await measure('availability (10,000 appts)', pid, { url: `${server.url}${availability(tutor10k.id)}` }))

    // Each booking run takes distinct 30-minute slots of its own, in turn for each signed-in student.
    let slotsTaken = 0
    const firstSlot = Math.ceil(Date.now() / HOUR) * HOUR + 2 * DAY
    const bookingRequests = (): autocannon.Request[] => [
      {
        method: 'POST',
        path: '/api/appointments',
        setupRequest: (request) => {
          const n = slotsTaken++
          const student = students[n % students.length]
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
    const eager = await startAppServer({ ...env, EMAIL_BACKGROUND_YIELD_MS: '0', EMAIL_BACKGROUND_BACKLOG: '64' })
    activeServers.push(eager)
    rows.push(await measure('POST booking, mail keeping pace', eager.process.pid!, { url: eager.url, requests: bookingRequests() }))
    const eagerDrainS = await waitForBookingMail(database.uri)

    const baseline = rows[0]
    console.log('\nTutorTrack booking benchmark — %d connections, %d s each, production build, FerretDB\n', CONNECTIONS, DURATION_S)
    console.log('| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | peak RSS MB |')
    console.log('|---|---:|---:|---:|---:|---:|---:|')
    for (const row of rows) {
      console.log(`| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.non2xx} | ${row.errors} | ${row.peakRssMb} |`)
    }
    const ratio = (row: Row) => (row.rps / baseline.rps).toFixed(2)
    console.log(`\navailability ÷ baseline (100 appts):    ${ratio(rows[1])}  (target ≥ 1.5)`)
    console.log(`availability ÷ baseline (10,000 appts): ${ratio(rows[2])}`)
    console.log(`p50 at 10,000 ÷ p50 at 100:             ${(rows[2].p50 / Math.max(rows[1].p50, 0.001)).toFixed(2)}  (target ≤ 1.5)`)
    console.log(`booking ÷ baseline:                     ${ratio(rows[3])}  (target ≥ 0.25; the mail of those bookings was all sent ${drainS.toFixed(1)} s after the run ended)`)
    console.log(`booking ÷ baseline, mail keeping pace:  ${ratio(rows[4])}  (bookings and their mail on the same cores; last mail ${eagerDrainS.toFixed(1)} s after the run)`)
  } finally {
    for (const running of [server, ...activeServers]) if (running.process.exitCode === null) await running.stop()
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
