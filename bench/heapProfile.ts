/**
 * `npm run bench:heap`: what holds a replica's memory. One production server with the Deployment's NODE_OPTIONS
 * (plus --heapsnapshot-signal=SIGUSR2, --trace-gc and a diagnostic dir under bench/results/heap), a modest data set,
 * then RSS, /proc/<pid>/smaps_rollup (anonymous vs file-backed) and a heap snapshot after start-up + warm-up and
 * again after a load phase (Payload's GET /api/tutors/:id, the slot search, the tutor page, bookings). Prints the
 * heap total, the top constructors by self size and the top growth between the two snapshots.
 * HEAP_LOAD_S (default 10 per route) and HEAP_APPOINTMENTS (default 3,000) size it. Writing a snapshot takes as much
 * memory again as the heap and the process keeps most of it (RSS after snapshot 1 is not the app's): HEAP_SNAPSHOTS=0
 * measures RSS under the same load without them.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import autocannon from 'autocannon'
import { MongoClient, ObjectId } from 'mongodb'

import type { Tutor } from '../src/payload-types'
import { createBenchTutor, DEPLOYMENT_NODE_OPTIONS, rssMb, startBenchServices } from './benchServices'
import { formatGrowth, formatTop, readSnapshot } from './heapSnapshot'
import { startAppServer } from '../test/helpers/appServer'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const LOAD_S = Number(process.env.HEAP_LOAD_S || 10)
const APPOINTMENTS = Number(process.env.HEAP_APPOINTMENTS || 3000)
const DAY = 86_400_000
const HOUR = 3_600_000
const SNAPSHOTS = process.env.HEAP_SNAPSHOTS !== '0'
const diagnosticDir = path.join(repoRoot, 'bench/results/heap', new Date().toISOString().replace(/[:.]/g, '-'))

/** RSS split as the kernel sees it: anonymous (heaps, malloc) vs file-backed (mapped code: node, .so files). */
function memoryOf(pid: number) {
  const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
  const kb = (field: string) => Number(rollup.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0)
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const statusKb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0)
  return { rssMb: kb('Rss') / 1024, anonMb: kb('Anonymous') / 1024, fileMb: statusKb('RssFile') / 1024, shmemMb: statusKb('RssShmem') / 1024, hwmMb: statusKb('VmHWM') / 1024 }
}

const fmt = (m: ReturnType<typeof memoryOf>) => `RSS ${m.rssMb.toFixed(0)} MB (anon ${m.anonMb.toFixed(0)}, file ${m.fileMb.toFixed(0)}, shmem ${m.shmemMb.toFixed(0)}; high-water ${m.hwmMb.toFixed(0)})`

/** The last full GC V8 reported (--trace-gc): heap used after it and the heap's committed size, in MB. */
function lastMarkCompact(output: string): string {
  const lines = output.split('\n').filter((line) => /Mark-Compact|Mark-sweep/i.test(line))
  const last = lines.at(-1)?.match(/([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/)
  return last ? `last full GC: ${last[1]} → ${last[3]} MB used, ${last[4]} MB committed (${lines.length} full GCs so far)` : 'no full GC reported yet'
}

/** SIGUSR2 makes the server write a snapshot into the diagnostic dir; it writes on its main thread, so its next
 *  answer to /healthz comes after the file is complete. */
async function snapshot(pid: number, url: string, label: string): Promise<string> {
  const before = new Set(fs.readdirSync(diagnosticDir))
  process.kill(pid, 'SIGUSR2')
  const deadline = Date.now() + 300_000
  let file: string | undefined
  while (!file) {
    if (Date.now() > deadline) throw new Error(`no heap snapshot for ${label}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
    file = fs.readdirSync(diagnosticDir).find((name) => name.endsWith('.heapsnapshot') && !before.has(name))
  }
  await fetch(`${url}/healthz`)
  // Belt and braces: the size must stop changing.
  for (let size = -1; ; ) {
    const now = fs.statSync(path.join(diagnosticDir, file)).size
    if (now === size) break
    size = now
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const target = path.join(diagnosticDir, `${label}.heapsnapshot`)
  fs.renameSync(path.join(diagnosticDir, file), target)
  return target
}

async function main() {
  fs.mkdirSync(diagnosticDir, { recursive: true })
  const services = await startBenchServices('tutortrack_heap')
  const { database, env } = services
  const server = await startAppServer(
    { ...env, NODE_OPTIONS: DEPLOYMENT_NODE_OPTIONS },
    // HEAP_NODE_ARGS: extra node arguments to compare, e.g. "--import tsx/esm --import ./scripts/x.mjs".
    { timeoutMs: 240_000, nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${diagnosticDir}`, '--trace-gc', ...(process.env.HEAP_NODE_ARGS?.split(' ').filter(Boolean) ?? [])] },
  )
  const pid = server.process.pid!
  const api = (pathname: string, init: RequestInit = {}) =>
    fetch(`${server.url}${pathname}`, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) } })
  console.log(`server NODE_OPTIONS: ${DEPLOYMENT_NODE_OPTIONS}; snapshots in ${path.relative(repoRoot, diagnosticDir)}`)
  console.log(`after start-up: ${fmt(memoryOf(pid))}`)

  try {
    const { getPayload } = await import('payload')
    const { default: config } = await import('../src/payload.config')
    const payload = await getPayload({ config })
    const tutors: Tutor[] = []
    for (const name of ['Heap Busy', 'Heap Quiet', 'Heap Third', 'Heap Fourth']) {
      tutors.push(await createBenchTutor(payload, name, `${name.replace(/\W+/g, '').toLowerCase()}@bench.local`))
    }
    const password = 'bench passphrase 12345'
    const students = [] as { id: string; token: string }[]
    for (let i = 0; i < 10; i++) {
      const email = `heap${i}@student.bench.local`
      const student = await payload.create({ collection: 'students', data: { email, password, fullName: `Heap ${i}`, timeZone: 'UTC', _verified: true }, disableVerificationEmail: true })
      const login = await api('/api/students/login', { method: 'POST', body: JSON.stringify({ email, password }) })
      students.push({ id: String(student.id), token: ((await login.json()) as { token: string }).token })
    }
    await payload.destroy()
    // The busy tutor's calendar: 40 half-hours a day from 00:00 to 20:00 UTC, from tomorrow on.
    const client = new MongoClient(database.uri)
    await client.connect()
    const firstDay = Math.floor(Date.now() / DAY) * DAY + DAY
    const docs = Array.from({ length: APPOINTMENTS }, (_, i) => {
      const start = firstDay + Math.floor(i / 40) * DAY + (i % 40) * 30 * 60_000
      return {
        _id: new ObjectId(),
        title: 'bench',
        tutor: new ObjectId(String(tutors[0].id)),
        student: new ObjectId(students[0].id),
        start: new Date(start),
        end: new Date(start + 30 * 60_000),
        status: 'booked',
        bookingKey: `heap-${i}`,
        createdAt: new Date(),
        updatedAt: new Date(),
      }
    })
    for (let at = 0; at < docs.length; at += 1000) await client.db().collection('appointments').insertMany(docs.slice(at, at + 1000))
    await client.close()

    const from = new Date(Math.ceil(Date.now() / HOUR) * HOUR + DAY).toISOString()
    const to = new Date(Date.parse(from) + 7 * DAY).toISOString()
    const availability = (tutor: Tutor) => `/api/tutors/${tutor.id}/availability?from=${from}&to=${to}&duration=30&tz=America/New_York`
    for (const tutor of tutors) for (const pathname of [`/api/tutors/${tutor.id}`, availability(tutor), `/tutors/${tutor.slug}`]) await (await api(pathname)).arrayBuffer()
    console.log(`after seeding + warm-up: ${fmt(memoryOf(pid))}`)
    console.log(lastMarkCompact(server.output()))
    const warm = SNAPSHOTS ? await snapshot(pid, server.url, '1-warm') : ''
    if (SNAPSHOTS) console.log(`after snapshot 1: ${fmt(memoryOf(pid))}`)

    let peak = 0
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100)
    const load = async (name: string, options: autocannon.Options) => {
      const result = await autocannon({ connections: 20, duration: LOAD_S, ...options })
      console.log(`load ${name}: ${result.requests.average.toFixed(0)} req/s, non-2xx ${result.non2xx}; ${fmt(memoryOf(pid))}; peak so far ${peak.toFixed(0)} MB`)
    }
    await load('GET /api/tutors/:id', { url: `${server.url}/api/tutors/${tutors[1].id}` })
    await load('slot search (busy tutor)', { url: `${server.url}${availability(tutors[0])}` })
    await load('tutor page (busy tutor)', { url: `${server.url}/tutors/${tutors[0].slug}` })
    await load('tutor pages (all four)', { url: server.url, requests: tutors.map((tutor) => ({ method: 'GET' as const, path: `/tutors/${tutor.slug}` })) })
    let booked = 0
    const firstSlot = Math.ceil(Date.now() / HOUR) * HOUR + 2 * DAY
    await load('POST booking (distinct slots)', {
      url: server.url,
      requests: [
        {
          method: 'POST',
          path: '/api/appointments',
          setupRequest: (request) => {
            const n = booked++
            const student = students[n % students.length]
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `JWT ${student.token}` },
              body: JSON.stringify({ tutor: tutors[1 + (n % 3)].id, start: new Date(firstSlot + Math.floor(n / 3) * 30 * 60_000).toISOString(), duration: 30 }),
            }
          },
        },
      ],
    })
    clearInterval(sampler)
    console.log(`peak RSS during load: ${peak.toFixed(0)} MB`)
    console.log(lastMarkCompact(server.output()))
    fs.writeFileSync(path.join(diagnosticDir, 'trace-gc.log'), server.output())
    if (!SNAPSHOTS) return
    const loaded = await snapshot(pid, server.url, '2-loaded')
    console.log(`after snapshot 2: ${fmt(memoryOf(pid))}`)

    const first = readSnapshot(warm)
    const second = readSnapshot(loaded)
    console.log(`\n## after warm-up\n${formatTop(first, 25)}`)
    console.log(`\n## after load\n${formatTop(second, 25)}`)
    console.log(`\n## growth\n${formatGrowth(first, second, 25)}`)
  } finally {
    if (server.process.exitCode === null) await server.stop()
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
