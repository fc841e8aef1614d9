/**
 * `npm run bench:soak`: a steady open-loop load on a 3-replica local cluster (scripts/cluster/startCluster.ts,
 * HAProxy in front) for BENCH_SOAK_MINUTES (default 10) at BENCH_SOAK_RPS (default 30): 70 % slot searches, 20 %
 * tutor reads (the API and the tutor page), 10 % bookings by many verified students, each cancelled through the
 * cancel endpoint some seconds later. Every BENCH_SOAK_INTERVAL_S (default 10) it records req/s, p50/p99, errors
 * and each replica's RSS; at the end it checks that nothing failed, that no tutor's booked sessions overlap, that
 * every confirmation, tutor notice and cancellation mail was sent exactly once (outbox records against the local
 * SES server's store), and prints RSS and p99 of the first and last minute after warm-up. Results (JSON and an SVG
 * chart) go to bench/results/. Exits non-zero when a check fails. See docs/soak.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { startCluster, type Cluster } from '../scripts/cluster/startCluster'
import { findFreePort } from '../scripts/local-db'
import { startLoad, type LoadResult } from '../test/helpers/load'
import { DEPLOYMENT_NODE_OPTIONS, percentile, rssMb, startBenchServices } from './benchServices'
import { bookedOverlaps, cancelledAppointments, checkMail, pendingMail, type MailReport } from './soakChecks'
import { soakSvg, verdictOf, type IntervalRow, type RssSample } from './soakReport'
import { cancelRequest, soakTraffic, type SoakStudent, type SoakTutor } from './soakTraffic'

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES || 10)
/**
 * 30 req/s in all by default: about 21 searches, 6 reads (half of them page renders) and 3 writes with their mail
 * a second. At roughly 25 ms of CPU per request of this mix (the app's and the database's, docs/capacity.md), that
 * is under one core of this machine's two, which the replicas share with FerretDB, PostgreSQL, HAProxy, SES and
 * the load generator: a loaded 2-core machine still serves it with room to spare, so latency or memory that grows
 * over the run is the code's, not a queue's. (Measured: with the machine's load average at 9–13 from other work,
 * three replicas kept up with 34 req/s at p50 93 ms; at 15–20 they fell behind near 20–25 req/s.)
 */
const RPS = Number(process.env.BENCH_SOAK_RPS || 30)
const INTERVAL_S = Number(process.env.BENCH_SOAK_INTERVAL_S || 10)
const STUDENTS = Number(process.env.BENCH_SOAK_STUDENTS || 150)
const TUTORS = Number(process.env.BENCH_SOAK_TUTORS || 8)
const CANCEL_AFTER_S = Number(process.env.BENCH_SOAK_CANCEL_AFTER_S || 20)
const RSS_EVERY_MS = 2_000
const OVERLAP_CHECK_EVERY_MS = 30_000
const DRAIN_TIMEOUT_MS = 180_000
/** In flight at once; a start beyond it is not sent and counts as an error (the cluster fell behind). */
const MAX_IN_FLIGHT = 64
const DAY_MS = 86_400_000
const KINDS = ['search', 'tutor-api', 'tutor-page', 'book', 'cancel'] as const
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const loadAverages = () => os.loadavg().map((value) => value.toFixed(2)).join(', ')

async function seed(): Promise<{ payload: import('payload').Payload; tutors: SoakTutor[]; students: SoakStudent[] }> {
  // After the environment is set: these read the app's config when imported.
  const { testPayload } = await import('../test/helpers/api')
  const { createStudent, createTutor } = await import('../test/helpers/fixtures')
  const payload = await testPayload()
  const tutors: SoakTutor[] = []
  for (let i = 0; i < TUTORS; i++) {
    const tutor = await createTutor(payload, { name: `Soak Tutor ${i}` })
    tutors.push({ id: String(tutor.id), slug: String(tutor.slug) })
  }
  const students: SoakStudent[] = []
  for (let i = 0; i < STUDENTS; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, STUDENTS - i) }, (_, j) => createStudent(payload, { label: `soak${i + j}` })))
    students.push(...batch.map((student) => ({ id: student.id, token: student.token })))
  }
  return { payload, tutors, students }
}

async function warmUp(cluster: Cluster, tutors: SoakTutor[]): Promise<void> {
  const from = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 3 * DAY_MS).toISOString()
  const to = new Date(Date.parse(from) + DAY_MS).toISOString()
  // Round robin over three replicas: each path reaches each replica twice.
  for (const tutor of tutors)
    for (const p of [`/api/tutors/${tutor.id}/availability?from=${from}&to=${to}&duration=30`, `/api/tutors/${tutor.id}?depth=0`, `/tutors/${tutor.slug}`])
      for (let i = 0; i < 2; i++) await (await fetch(`${cluster.url}${p}`)).arrayBuffer()
}

async function main(): Promise<number> {
  const loadAtStart = loadAverages()
  console.log(`soak: ${MINUTES} min at ${RPS} req/s on 3 replicas (NODE_OPTIONS ${DEPLOYMENT_NODE_OPTIONS}); load average at start ${loadAtStart} (${os.cpus().length} cores)`)
  // This process signs the students in through its own Payload: no limits here. The replicas keep theirs on,
  // raised far above this load by startCluster.
  const services = await startBenchServices('tutortrack_bench_soak', { RATE_LIMIT_DISABLED: 'true' })
  const port = await findFreePort()
  process.env.SERVER_URL = `http://127.0.0.1:${port}`
  let cluster: Cluster | undefined
  let payload: import('payload').Payload | undefined
  try {
    const starting = startCluster({
      replicas: 3,
      port,
      databaseUri: services.database.uri,
      // The Deployment's heap bounds: RSS is then what a pod would use, against its 640Mi limit.
      env: { LOG_LEVEL: 'warn', RATE_LIMIT_DISABLED: 'false', NODE_OPTIONS: DEPLOYMENT_NODE_OPTIONS },
      // Three replicas start at once while the students sign in: a loaded 2-core machine can take minutes.
      startTimeoutMs: 600_000,
      log: (message) => console.log(`[cluster] ${message}`),
    })
    starting.catch(() => undefined)
    const seeded = await seed()
    payload = seeded.payload
    cluster = await starting
    await warmUp(cluster, seeded.tutors)
    console.log(`seeded ${seeded.tutors.length} tutors and ${seeded.students.length} signed-in students; replicas ${cluster.replicas.map((r) => `${r.name} pid ${r.pid}`).join(', ')}`)

    const durationS = MINUTES * 60
    const firstDay = Math.floor(Date.now() / DAY_MS) * DAY_MS + 3 * DAY_MS
    const traffic = soakTraffic({ tutors: seeded.tutors, students: seeded.students, cancelAfterMs: CANCEL_AFTER_S * 1000, firstDay, days: 14, contendedShare: 0.1 })
    const outcomes = { ok: 0, conflict: 0, error: 0 }
    const errorSamples: string[] = []
    const started = Date.now()
    const onResult = (result: LoadResult) => {
      traffic.onResult(result)
      const outcome = traffic.outcome(result)
      outcomes[outcome]++
      if (outcome === 'error' && errorSamples.length < 20)
        errorSamples.push(`${result.kind} ${result.method} ${result.path} → ${result.error ?? result.status} ${JSON.stringify(result.body ?? '').slice(0, 200)}`)
    }
    const load = startLoad({
      baseUrl: cluster.url,
      concurrency: MAX_IN_FLIGHT,
      durationMs: durationS * 1000,
      ratePerSecond: RPS,
      next: traffic.next,
      timeoutMs: 15_000,
      keepBodies: (request) => request.kind === 'book' || request.kind === 'cancel',
      onResult,
    })

    // RSS of every replica process, every few seconds.
    const rss: RssSample[] = []
    const sampleRss = () => {
      const t = (Date.now() - started) / 1000
      for (const replica of cluster!.replicas) rss.push({ t, replica: replica.name, mb: rssMb(replica.pid) })
    }
    sampleRss()
    const rssTimer = setInterval(sampleRss, RSS_EVERY_MS)

    // Booked sessions of a tutor never overlap, at any snapshot.
    const overlaps: string[] = []
    const overlapTimer = setInterval(() => {
      bookedOverlaps(payload!, seeded.tutors.map((t) => t.id)).then(
        (found) => overlaps.push(...found.map((o) => `t=${((Date.now() - started) / 1000).toFixed(0)} s ${o}`)),
        (error: unknown) => console.log(`overlap snapshot failed: ${String(error)}`),
      )
    }, OVERLAP_CHECK_EVERY_MS)

    const rows: IntervalRow[] = []
    let seen = 0
    let skippedBefore = 0
    let lastT = 0
    const recordInterval = () => {
      const t = Math.round((Date.now() - started) / 1000)
      const spanS = Math.max(1, t - lastT)
      lastT = t
      const fresh = load.results.slice(seen)
      seen += fresh.length
      const ms = fresh.map((r) => r.ms).sort((a, b) => a - b)
      const replicaRss: Record<string, number> = {}
      for (const sample of rss) replicaRss[sample.replica] = Math.round(sample.mb)
      const row: IntervalRow = {
        t,
        completed: fresh.length,
        spanS,
        rps: fresh.length / spanS,
        p50: percentile(ms, 50),
        p99: percentile(ms, 99),
        errors: fresh.filter((r) => traffic.outcome(r) === 'error').length,
        conflicts: fresh.filter((r) => traffic.outcome(r) === 'conflict').length,
        skipped: load.skipped - skippedBefore,
        rssMb: replicaRss,
        load1: os.loadavg()[0],
        byKind: {},
      }
      for (const kind of KINDS) {
        const own = fresh.filter((r) => r.kind === kind).map((r) => r.ms).sort((a, b) => a - b)
        if (own.length > 0) row.byKind[kind] = { n: own.length, p50: percentile(own, 50), p99: percentile(own, 99) }
      }
      skippedBefore = load.skipped
      rows.push(row)
      console.log(
        `t=${String(t).padStart(4)} s  ${row.rps.toFixed(1).padStart(5)} req/s  p50 ${String(row.p50).padStart(4)} ms  p99 ${String(row.p99).padStart(5)} ms  errors ${row.errors + row.skipped}  409 ${row.conflicts}  RSS ${Object.entries(replicaRss).map(([n, mb]) => `${n} ${mb}`).join(' ')} MB  load ${row.load1.toFixed(1)}  p99 ${Object.entries(row.byKind).map(([k, v]) => `${k} ${v.p99}`).join(' ')}`,
      )
    }
    const intervalTimer = setInterval(recordInterval, INTERVAL_S * 1000)
    const results = await load.done
    clearInterval(intervalTimer)
    clearInterval(rssTimer)
    clearInterval(overlapTimer)
    if (load.results.length > seen) recordInterval()
    const loadAtEnd = loadAverages()

    // The database as the load left it, then every booking still held cancelled, then the mail drained.
    const integrity = await (await import('../test/helpers/clusterProof')).checkBookingIntegrity(payload, {
      tutorIds: seeded.tutors.map((t) => t.id),
      studentIds: seeded.students.map((s) => s.id),
    })
    overlaps.push(...(await bookedOverlaps(payload, seeded.tutors.map((t) => t.id))).map((o) => `end ${o}`))
    const held = traffic.held()
    let cleanupErrors = 0
    for (let i = 0; i < held.length; i += 4) {
      await Promise.all(
        held.slice(i, i + 4).map(async (booking) => {
          const request = cancelRequest(booking)
          const response = await fetch(`${cluster!.url}${request.path}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `JWT ${request.token}` },
            body: JSON.stringify(request.body),
          })
          const code = ((await response.json().catch(() => ({}))) as { errors?: { data?: { code?: string } }[] }).errors?.[0]?.data?.code
          // "Not booked" after an unanswered cancel: that one went through.
          const done = response.status === 200 || (booking.cancelUnanswered === true && code === 'NOT_CANCELLABLE')
          traffic.recordCancel(booking, done)
          if (!done) cleanupErrors++
        }),
      )
    }
    const drainStarted = Date.now()
    let pending = await pendingMail(payload)
    while (pending > 0 && Date.now() - drainStarted < DRAIN_TIMEOUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      pending = await pendingMail(payload)
    }
    const drainS = (Date.now() - drainStarted) / 1000
    // Which bookings were cancelled, as the database says: a cancel whose answer was lost may still have gone through.
    const cancelledInDb = await cancelledAppointments(payload, seeded.tutors.map((t) => t.id))
    const mail: MailReport = await checkMail(payload, services.ses.endpoint, traffic.ledger.booked, cancelledInDb)
    const stats = await cluster.serverStats()

    // Figures.
    const byKind: Record<string, { count: number; p50: number; p99: number; statuses: Record<string, number> }> = {}
    for (const kind of KINDS) {
      const own = results.filter((r) => r.kind === kind)
      const ms = own.map((r) => r.ms).sort((a, b) => a - b)
      const statuses: Record<string, number> = {}
      for (const r of own) statuses[r.error ? `ERR:${r.error}` : String(r.status)] = (statuses[r.error ? `ERR:${r.error}` : String(r.status)] ?? 0) + 1
      byKind[kind] = { count: own.length, p50: percentile(ms, 50), p99: percentile(ms, 99), statuses }
    }
    const verdict = verdictOf(
      durationS,
      results.map((r) => ({ doneAt: (r.startedAt + r.ms - started) / 1000, ms: r.ms })),
      rss,
    )
    const failures: string[] = []
    if (outcomes.error > 0) failures.push(`${outcomes.error} requests failed (5xx, timeouts, unexpected 4xx)`)
    if (load.skipped > 0) failures.push(`${load.skipped} requests not sent: ${MAX_IN_FLIGHT} were in flight`)
    if (cleanupErrors > 0) failures.push(`${cleanupErrors} clean-up cancels failed`)
    if (overlaps.length > 0) failures.push(`${overlaps.length} overlapping booked appointments`)
    if (traffic.ledger.doubleBookings.length > 0) failures.push(`${traffic.ledger.doubleBookings.length} slots booked twice`)
    if (integrity.incomplete.length + integrity.missingClaims.length + integrity.strayClaims.length + integrity.overlaps.length > 0)
      failures.push(`booking integrity: ${JSON.stringify({ incomplete: integrity.incomplete.length, missingClaims: integrity.missingClaims.length, strayClaims: integrity.strayClaims.length, overlaps: integrity.overlaps.length })}`)
    if (pending > 0) failures.push(`${pending} mails still pending ${DRAIN_TIMEOUT_MS / 1000} s after the run`)
    if (mail.missing.length) failures.push(`${mail.missing.length} mails missing`)
    if (mail.duplicateRecords.length) failures.push(`${mail.duplicateRecords.length} mails with more than one outbox record`)
    if (mail.notInSes.length) failures.push(`${mail.notInSes.length} sent records not in SES`)
    if (mail.sesExtra.length) failures.push(`${mail.sesExtra.length} SES messages sent more than once or by no record`)
    if (mail.remindersSent) failures.push(`${mail.remindersSent} reminders sent (none was due)`)

    const stamp = new Date(started).toISOString().replace(/[:.]/g, '-')
    const resultsDir = path.join(repoRoot, 'bench', 'results')
    fs.mkdirSync(resultsDir, { recursive: true })
    const summary = {
      settings: { minutes: MINUTES, rps: RPS, nodeOptions: DEPLOYMENT_NODE_OPTIONS, intervalS: INTERVAL_S, students: STUDENTS, tutors: TUTORS, cancelAfterS: CANCEL_AFTER_S, replicas: 3, cores: os.cpus().length },
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      totals: { sent: results.length, ...outcomes, skipped: load.skipped, byKind },
      bookings: { booked: traffic.ledger.booked.length, cancelled: traffic.ledger.cancelled.size, cancelledInDb: cancelledInDb.size, contended: traffic.ledger.contended, heldAtEnd: held.length, cleanupErrors },
      perReplica: Object.fromEntries(stats.filter((s) => cluster!.replicas.some((r) => r.name === s.name)).map((s) => [s.name, { requests: s.stot, hrsp5xx: s.hrsp5xx }])),
      checks: { overlaps, doubleBookings: traffic.ledger.doubleBookings, integrity, mail, drainS },
      verdict,
      failures,
      errorSamples,
      intervals: rows,
      rss,
    }
    const jsonPath = path.join(resultsDir, `soak-${stamp}.json`)
    const svgPath = path.join(resultsDir, `soak-${stamp}.svg`)
    fs.writeFileSync(jsonPath, `${JSON.stringify(summary, null, 2)}\n`)
    fs.writeFileSync(
      svgPath,
      soakSvg({
        title: `TutorTrack soak: ${MINUTES} min, ${RPS} req/s offered, 3 replicas behind HAProxy`,
        subtitle: [
          `70 % slot searches, 20 % tutor reads, 10 % bookings/cancels by ${STUDENTS} students · ${results.length} requests, ${outcomes.error + load.skipped} errors, ${outcomes.conflict} expected 409s`,
          `load average ${loadAtStart} → ${loadAtEnd} (${os.cpus().length} cores) · ${new Date(started).toISOString().slice(0, 16)}Z · ${failures.length ? 'FAILED' : 'PASSED'}`,
        ],
        durationS,
        offeredRps: RPS,
        rows,
        rss,
      }),
    )

    const mb = (value: number) => value.toFixed(0)
    console.log(`\nTutorTrack soak — ${MINUTES} min, ${RPS} req/s offered, 3 replicas; load average start ${loadAtStart}, end ${loadAtEnd}`)
    console.log(`requests: ${results.length} sent, ${outcomes.ok} ok, ${outcomes.conflict} expected 409 (slot taken), ${outcomes.error} errors, ${load.skipped} not sent (too many in flight)`)
    for (const [kind, k] of Object.entries(byKind)) console.log(`  ${kind.padEnd(10)} ${String(k.count).padStart(6)}  p50 ${k.p50} ms  p99 ${k.p99} ms  ${JSON.stringify(k.statuses)}`)
    console.log(`per replica (HAProxy): ${Object.entries(summary.perReplica).map(([n, s]) => `${n} ${s.requests} requests, ${s.hrsp5xx} 5xx`).join('; ')}`)
    console.log(`bookings: ${summary.bookings.booked} booked, ${summary.bookings.cancelled} cancelled by an answered cancel (${held.length} sent after the run; ${cancelledInDb.size} cancelled in the database), ${traffic.ledger.contended} aimed at a held slot, ${traffic.ledger.doubleBookings.length} slots booked twice`)
    console.log(`overlapping booked sessions (snapshots every ${OVERLAP_CHECK_EVERY_MS / 1000} s and at the end): ${overlaps.length}; claims: ${integrity.missingClaims.length} missing, ${integrity.strayClaims.length} stray, ${integrity.incomplete.length} incomplete appointments`)
    console.log(`mail: ${mail.expected} expected, ${mail.outboxRecords} outbox records, ${mail.sesMessages} in SES; ${mail.missing.length} missing, ${mail.duplicateRecords.length} duplicate records, ${mail.notInSes.length} not in SES, ${mail.sesExtra.length} extra in SES; drained ${drainS.toFixed(1)} s after the clean-up`)
    console.log(`verdict (warm-up ${verdict.warmupS} s; first window ${verdict.first.from}–${verdict.first.to} s, last ${verdict.last.from}–${verdict.last.to} s):`)
    console.log(`  p99 first ${verdict.p99.first} ms → last ${verdict.p99.last} ms`)
    for (const [name, r] of Object.entries(verdict.rss))
      console.log(`  RSS ${name}: ${mb(r.first)} MB → ${mb(r.last)} MB, slope ${r.slopeMbPerMin.toFixed(2)} MB/min after warm-up — ${r.grows ? 'GROWS' : 'steady'}`)
    console.log(`results: ${path.relative(repoRoot, jsonPath)}, chart: ${path.relative(repoRoot, svgPath)}`)
    if (errorSamples.length) console.log(`first errors:\n  ${errorSamples.join('\n  ')}`)
    for (const list of [overlaps, traffic.ledger.doubleBookings, mail.missing, mail.duplicateRecords, mail.notInSes, mail.sesExtra]) if (list.length) console.log(`  e.g. ${list.slice(0, 5).join('\n  ')}`)
    console.log(failures.length ? `\nFAILED: ${failures.join('; ')}` : '\nPASSED: no errors, no overlaps, every mail sent exactly once')
    return failures.length ? 1 : 0
  } finally {
    await cluster?.stop()
    await payload?.destroy().catch(() => undefined)
    await services.stop()
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
