import type { Payload } from 'payload'

import { startCluster, type Cluster, type ClusterOptions, type ServerStat } from '../../scripts/cluster/startCluster'
import { claimDocuments, CLAIMS_COLLECTION, type ClaimDocument } from '../../src/booking/claimStore'
import { mongoDb } from '../../src/storage/db'
import { sweepOrphanClaims } from '../../src/booking/claimSweeper'
import { intervalOf, tutorScheduleFromDoc } from '../../src/readModels/tutors'
import type { Appointment, Tutor } from '../../src/payload-types'
import { studentClaimInterval, tutorBlockedInterval } from '../../src/scheduling'
import { createStudent, createTutor, type TestStudent } from './fixtures'
import { startLoad, type LoadRequest, type LoadResult } from './load'

/** A cluster on the test run's database and local SES (both started by test/setup/globalSetup.ts). */
export function startTestCluster(options: ClusterOptions = {}): Promise<Cluster> {
  return startCluster({
    databaseUri: process.env.DATABASE_URI,
    log: (message) => process.stderr.write(`[cluster] ${message}\n`),
    ...options,
    // Shedding off, as for single test servers (test/helpers/appServer.ts): a race must reach the booking rules.
    env: { LOG_LEVEL: 'warn', LOAD_SHED_MAX_IN_FLIGHT: '0', ...options.env },
  })
}

export async function statsByName(cluster: Cluster): Promise<Map<string, ServerStat>> {
  return new Map((await cluster.serverStats()).map((stat) => [stat.name, stat]))
}

/** Per-server growth of a counter between two `show stat` snapshots (servers present in `after`). */
export function counterDelta(
  before: Map<string, ServerStat>,
  after: Map<string, ServerStat>,
  key: 'stot' | 'hrsp2xx' | 'hrsp5xx' | 'wretr' | 'wredis' | 'eresp' | 'econ',
): Record<string, number> {
  const delta: Record<string, number> = {}
  for (const [name, stat] of after) delta[name] = stat[key] - (before.get(name)?.[key] ?? 0)
  return delta
}

export type HaproxyLogEntry = { server: string; status: number; bytes: number; termination: string; retries: string; method: string; path: string }

/**
 * The requests HAProxy logged (the cluster logs only abnormal ones: errors, retries, aborts), parsed from its
 * `option httplog` lines. `termination` is HAProxy's four-letter termination state, e.g. "SD--": the server
 * aborted during the data phase, i.e. after the response had started (nothing can retry that).
 */
export function haproxyLog(cluster: Cluster): HaproxyLogEntry[] {
  const entries: HaproxyLogEntry[] = []
  const line = /\sfe_http be_app\/(\S+) \S+ (-?\d+) (\d+) \S+ \S+ (\S{4}) \d+\/\d+\/\d+\/\d+\/(\+?\d+) \S+ "(\w+) (\S+)/
  for (const text of cluster.haproxy.output().split('\n')) {
    const match = line.exec(text)
    if (match) {
      entries.push({
        server: match[1],
        status: Number(match[2]),
        bytes: Number(match[3]),
        termination: match[4],
        retries: match[5],
        method: match[6],
        path: match[7],
      })
    }
  }
  return entries
}

const HOUR_MS = 3_600_000

/**
 * Bookings that never conflict with each other: pair k is (tutor k, student k), and its n-th booking starts
 * n × 2 h after a base day, so every POST should be a 201. A 409 would mean the same request ran twice.
 */
export async function bookingWorkload(payload: Payload, options: { pairs?: number; baseDaysAhead?: number; label: string; tutorPolicy?: Tutor['policy'] }) {
  const pairs = options.pairs ?? 8
  const tutors: Tutor[] = []
  const students: TestStudent[] = []
  for (let k = 0; k < pairs; k++) {
    tutors.push(await createTutor(payload, { name: `${options.label} tutor ${k}`, ...(options.tutorPolicy ? { policy: options.tutorPolicy } : {}) }))
    students.push(await createStudent(payload, { label: `${options.label}${k}` }))
  }
  const base = new Date()
  base.setUTCDate(base.getUTCDate() + (options.baseDaysAhead ?? 2))
  base.setUTCHours(0, 0, 0, 0)
  const counters = new Array<number>(pairs).fill(0)
  let round = 0

  const nextBooking = (): LoadRequest => {
    const k = round++ % pairs
    const start = new Date(base.getTime() + counters[k]++ * 2 * HOUR_MS).toISOString()
    return {
      kind: 'POST /api/appointments',
      method: 'POST',
      path: '/api/appointments',
      token: students[k].token,
      body: { tutor: tutors[k].id, start, duration: 60 },
      ok: (status) => status === 201,
    }
  }

  const nextRead = (i: number): LoadRequest => {
    const tutor = tutors[i % pairs]
    return i % 2 === 0
      ? { kind: 'GET', method: 'GET', path: `/api/tutors/${tutor.id}?depth=0` }
      : { kind: 'GET', method: 'GET', path: `/api/tutors/${tutor.id}/availability` }
  }

  /**
   * Mixed load as two client pools, so slow bookings never starve the reads: `readers` clients sending GETs and
   * `bookers` clients sending bookings, back to back.
   */
  const startMixedLoad = (baseUrl: string, options: { readers?: number; bookers?: number; durationMs?: number } = {}) => {
    const durationMs = options.durationMs ?? 150_000
    const reads = startLoad({ baseUrl, concurrency: options.readers ?? 8, durationMs, next: nextRead })
    const bookings = startLoad({ baseUrl, concurrency: options.bookers ?? 4, durationMs, next: () => nextBooking(), keepBodies: () => true })
    return {
      stop: async (): Promise<LoadResult[]> => [...(await reads.stop()), ...(await bookings.stop())],
    }
  }

  return {
    tutors,
    students,
    nextBooking,
    nextRead,
    startMixedLoad,
    tutorIds: tutors.map((tutor) => String(tutor.id)),
    studentIds: students.map((student) => student.id),
  }
}

export type IntegrityReport = {
  appointments: number
  active: number
  incomplete: string[]
  missingClaims: string[]
  strayClaims: string[]
  overlaps: string[]
  sweptClaims: number
}

const refId = (value: unknown): string => (value && typeof value === 'object' ? String((value as { id: unknown }).id) : String(value))

/**
 * The database after a storm: runs the orphan-claim sweeper as if its bound had passed, then checks that every
 * appointment of these tutors is complete (fields set, every claim it needs present), that no claim of these
 * tutors or students lacks a live appointment, and that no two active appointments of a tutor or a student overlap.
 */
export async function checkBookingIntegrity(payload: Payload, scope: { tutorIds: string[]; studentIds: string[] }): Promise<IntegrityReport> {
  const boundMs = 60_000
  const sweptClaims = await sweepOrphanClaims(payload, { boundMs, now: Date.now() + boundMs + 5_000 })

  const found = await payload.find({
    collection: 'appointments',
    where: { tutor: { in: scope.tutorIds } },
    pagination: false,
    depth: 0,
    overrideAccess: true,
  })
  const appointments = found.docs as Appointment[]
  const tutors = new Map<string, Tutor>()
  for (const id of scope.tutorIds) tutors.set(id, (await payload.findByID({ collection: 'tutors', id, depth: 0, overrideAccess: true })) as Tutor)

  const claims = await mongoDb(payload)
    .collection<ClaimDocument>(CLAIMS_COLLECTION)
    .find({ partyId: { $in: [...scope.tutorIds, ...scope.studentIds] } })
    .toArray()
  const claimById = new Map(claims.map((claim) => [claim._id, claim]))

  const report: IntegrityReport = {
    appointments: appointments.length,
    active: 0,
    incomplete: [],
    missingClaims: [],
    strayClaims: [],
    overlaps: [],
    sweptClaims,
  }
  const needed = new Set<string>()
  const byParty = new Map<string, { id: string; start: number; end: number }[]>()

  for (const doc of appointments) {
    const id = String(doc.id)
    if (!doc.tutor || !doc.student || !doc.start || !doc.end || !doc.status || !doc.bookingKey || Date.parse(doc.end) <= Date.parse(doc.start)) {
      report.incomplete.push(id)
      continue
    }
    if (doc.status !== 'booked') continue
    report.active++
    const tutor = tutors.get(refId(doc.tutor))!
    const session = intervalOf(doc)
    const docs = claimDocuments({
      holder: doc.bookingKey,
      tutorId: refId(doc.tutor),
      studentId: refId(doc.student),
      tutorInterval: tutorBlockedInterval(session, tutorScheduleFromDoc(tutor).policy),
      studentInterval: studentClaimInterval(session),
    })
    for (const claim of docs) {
      needed.add(claim._id)
      if (claimById.get(claim._id)?.holder !== doc.bookingKey) report.missingClaims.push(`${id}:${claim._id}`)
    }
    for (const party of [`tutor:${refId(doc.tutor)}`, `student:${refId(doc.student)}`]) {
      const list = byParty.get(party) ?? []
      list.push({ id, ...session })
      byParty.set(party, list)
    }
  }
  for (const claim of claims) if (!needed.has(claim._id)) report.strayClaims.push(`${claim._id} (holder ${claim.holder})`)
  for (const [party, list] of byParty) {
    list.sort((a, b) => a.start - b.start)
    for (let i = 1; i < list.length; i++) if (list[i].start < list[i - 1].end) report.overlaps.push(`${party}: ${list[i - 1].id} / ${list[i].id}`)
  }
  return report
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `probe` returns true, polling every 50 ms; returns the time it took. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now()
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await sleep(50)
  }
  return Date.now() - started
}
