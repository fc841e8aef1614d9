import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { promisify } from 'node:util'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { startLocalDatabase, type LocalDatabase } from '../../scripts/local-db'
import type { Tutor } from '../../src/payload-types'
import { startAppServer, type AppServer } from '../helpers/appServer'
import type { TestStudent } from '../helpers/fixtures'

/**
 * PostgreSQL out of connections behind the local database, as when several FerretDB pools fill its
 * max_connections ("sorry, too many clients already"). The app server's FerretDB stores this file's data as a
 * PostgreSQL role of its own whose CONNECTION LIMIT the test moves — the same SQLSTATE 53300 refusal, without
 * taking connections from anything else on the machine. Every request the database fails must answer 503 with
 * Retry-After and STORAGE_UNAVAILABLE (never 500, never "log in"), be logged once with its request, leave nothing
 * half-written, and a retry with the same Idempotency-Key must settle once the database is back.
 */
const run = promisify(execFile)
const postgresServer = (process.env.LOCAL_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '')
const role = `tutortrack_starved_${process.pid}_${Date.now().toString(36)}`
const sql = async (query: string) => (await run('psql', [`${postgresServer}/postgres`, '-Atc', query])).stdout.trim()

/** No new connection for the role, and the open ones cut: FerretDB has nothing to run a query on. */
async function starve(limit: number): Promise<void> {
  await sql(`ALTER ROLE ${role} CONNECTION LIMIT ${limit}`)
  await sql(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '${role}'`)
}
const feed = () => sql(`ALTER ROLE ${role} CONNECTION LIMIT -1`)

let database: LocalDatabase
let server: AppServer
let payload: Payload
let tutor: Tutor
let students: TestStudent[]
let futureUtc: (days: number, hour: number, minute?: number) => string

type Attempt = { student: TestStudent; key: string; body: Record<string, unknown> }
type Answer = { status: number; code?: string; retryAfter: string | null; replayed: boolean }

async function book(attempt: Attempt): Promise<Answer> {
  const response = await fetch(`${server.url}/api/appointments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `JWT ${attempt.student.token}`, 'Idempotency-Key': attempt.key },
    body: JSON.stringify(attempt.body),
  })
  const body = (await response.json()) as { errors?: { data?: { code?: string } }[] }
  return { status: response.status, code: body.errors?.[0]?.data?.code, retryAfter: response.headers.get('retry-after'), replayed: response.headers.get('idempotent-replayed') === 'true' }
}

const readyzStatus = async () => (await fetch(`${server.url}/readyz`)).status

async function waitForReadyz(status: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (Date.now() < deadline) {
    if ((await readyzStatus()) === status) return true
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return false
}

function expectStorageUnavailable(answer: Answer): void {
  expect(answer).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE', retryAfter: '5', replayed: false })
}

/** The server's `storage.unavailable` log lines written for POSTs to this path (JSON lines in production). */
function storageLogLines(path: string): unknown[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"storage.unavailable"'))
    .map((line) => JSON.parse(line) as { request?: { method?: string; path?: string } })
    .filter((entry) => entry.request?.method === 'POST' && entry.request?.path === path)
}

/** How long a request that died midway may hold time or an Idempotency-Key: longer than any request here takes. */
const ORPHAN_BOUND_MS = 15_000
const failedAttempts: Attempt[] = []
let storage503s = 0

beforeAll(async () => {
  await sql(`CREATE ROLE ${role} LOGIN CREATEDB`)
  const saved = { url: process.env.LOCAL_POSTGRES_URL, storage: process.env.LOCAL_DB_STORAGE }
  process.env.LOCAL_POSTGRES_URL = postgresServer.replace('//postgres@', `//${role}@`)
  process.env.LOCAL_DB_STORAGE = 'postgresql'
  try {
    database = await startLocalDatabase({ fresh: true, dbName: 'tutortrack_starved', ignoreEnvironment: true, log: () => undefined })
  } finally {
    for (const [name, value] of [['LOCAL_POSTGRES_URL', saved.url], ['LOCAL_DB_STORAGE', saved.storage]] as const) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  // This file's Payload (fixtures, the checks at the end) works on the starved database too: the config reads
  // DATABASE_URI when it is first imported, which happens below.
  process.env.DATABASE_URI = database.uri
  const { testPayload } = await import('../helpers/api')
  const fixtures = await import('../helpers/fixtures')
  futureUtc = fixtures.futureUtc
  payload = await testPayload()
  server = await startAppServer({ DATABASE_URI: database.uri, ORPHAN_CLAIM_BOUND_MS: String(ORPHAN_BOUND_MS) })
  tutor = await fixtures.createTutor(payload, { name: 'Starved Tutor' })
  students = []
  for (let i = 0; i < 24; i++) students.push(await fixtures.createStudent(payload, { label: `starved${i}` }))
}, 900_000)

afterAll(async () => {
  await feed().catch(() => undefined)
  await server?.stop()
  await payload?.destroy()
  await database?.stop()
  // FerretDB drops its database as it exits; make sure of it, or the role cannot go.
  if (database?.postgresDatabase) await sql(`DROP DATABASE IF EXISTS ${database.postgresDatabase} WITH (FORCE)`).catch(() => undefined)
  await sql(`DROP ROLE IF EXISTS ${role}`)
})

describe('the database out of connections', () => {
  it('with none to give: bookings, the REST and GraphQL reads and the slot search answer 503 + Retry-After; /readyz is 503', async () => {
    await starve(0)
    const attempts = students.slice(0, 12).map((student, i) => ({ student, key: randomUUID(), body: { tutor: tutor.id, start: futureUtc(30, 8 + (i % 4)), duration: 60 } }))
    const answers = await Promise.all(attempts.map(book))
    for (const answer of answers) expectStorageUnavailable(answer)
    failedAttempts.push(...attempts)
    storage503s += answers.length

    // Beside Next (Express) and through Next (Payload's REST and GraphQL routes).
    for (const path of [`/api/tutors/${tutor.id}/availability?duration=60`, '/api/tutors?limit=1']) {
      const response = await fetch(`${server.url}${path}`)
      const text = await response.text()
      expect({ path, status: response.status, retryAfter: response.headers.get('retry-after'), text }).toEqual({
        path,
        status: 503,
        retryAfter: '5',
        text: expect.stringContaining('"code":"STORAGE_UNAVAILABLE"'),
      })
    }
    const graphql = await fetch(`${server.url}/api/graphql`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: '{ Tutors { docs { name } } }' }) })
    const graphqlText = await graphql.text()
    expect(graphqlText).toMatch(/^\{/)
    const graphqlBody = JSON.parse(graphqlText) as { errors: { extensions: { code: string; statusCode: number } }[] }
    expect(graphql.headers.get('retry-after')).toBe('5')
    expect(graphqlBody.errors[0].extensions).toMatchObject({ code: 'STORAGE_UNAVAILABLE', statusCode: 503 })

    expect(await waitForReadyz(503, 10_000)).toBe(true)
  }, 120_000)

  it('signed in, on any route: "could not check who you are" is 503 + Retry-After, never 401/403 or the anonymous view', async () => {
    await starve(0)
    const student = students[0]
    const asStudent = { Authorization: `JWT ${student.token}` }
    const requests: [string, RequestInit][] = [
      ['/api/students/me', { headers: asStudent }],
      ['/api/appointments?limit=1', { headers: asStudent }],
      [`/api/appointments/${'0'.repeat(24)}/cancel`, { method: 'POST', headers: { ...asStudent, 'Content-Type': 'application/json' }, body: '{}' }],
      [`/api/students/${student.id}`, { method: 'PATCH', headers: { ...asStudent, 'Content-Type': 'application/json' }, body: JSON.stringify({ phone: '+33 1 23 45 67 89' }) }],
      ['/api/graphql', { method: 'POST', headers: { ...asStudent, 'Content-Type': 'application/json' }, body: JSON.stringify({ query: '{ meStudent { user { email } } }' }) }],
    ]
    for (const [path, init] of requests) {
      const response = await fetch(`${server.url}${path}`, init)
      const text = await response.text()
      expect({ path, status: response.status, retryAfter: response.headers.get('retry-after'), text }).toEqual({
        path,
        status: 503,
        retryAfter: '5',
        text: expect.stringContaining('"code":"STORAGE_UNAVAILABLE"'),
      })
    }
  }, 120_000)

  it('with a pool that cannot grow: racing bookings get 201, 409 or 503 + Retry-After, never 500', async () => {
    await starve(2)
    const attempts = students.map((student, i) => ({ student, key: randomUUID(), body: { tutor: tutor.id, start: futureUtc(31, 8 + (i % 6)), duration: 60 } }))
    const answers = await Promise.all(attempts.map(book))
    const counts = answers.reduce<Record<number, number>>((tally, answer) => ({ ...tally, [answer.status]: (tally[answer.status] ?? 0) + 1 }), {})
    console.log(`24 bookings racing on a pool of at most 2 connections: ${JSON.stringify(counts)}`)
    for (const [i, answer] of answers.entries()) {
      expect([201, 409, 503]).toContain(answer.status)
      if (answer.status === 503) {
        expectStorageUnavailable(answer)
        failedAttempts.push(attempts[i])
        storage503s++
      }
    }
    expect(counts[503]).toBeGreaterThan(0)
  }, 120_000)

  it('each refused request is logged once, as a warning naming the request and the storage error', async () => {
    // The server's output reaches this process through a pipe, a moment after its answers.
    const deadline = Date.now() + 5_000
    while (storageLogLines('/api/appointments').length < storage503s && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    await new Promise((resolve) => setTimeout(resolve, 500))
    const lines = storageLogLines('/api/appointments')
    expect(lines).toHaveLength(storage503s)
    expect(lines[0]).toMatchObject({ level: 40, event: 'storage.unavailable', request: { method: 'POST', path: '/api/appointments' }, storageError: { name: 'MongoServerError' } })
    expect(server.output()).not.toContain('"rest.failed"')
  })

  it('once the database is back: /readyz is 200 and every refused booking, retried with its Idempotency-Key, settles', async () => {
    await feed()
    expect(await waitForReadyz(200, 30_000)).toBe(true)
    // Past ORPHAN_CLAIM_BOUND_MS: a key whose record the outage left pending is taken over.
    await new Promise((resolve) => setTimeout(resolve, ORPHAN_BOUND_MS + 500))
    let pending = failedAttempts
    const settled: Answer[] = []
    // As a client would: again after Retry-After while the database is still warming up, or while a retry refused in
    // an earlier round (503) still holds its key (409 IDEMPOTENT_REQUEST_IN_PROGRESS, Retry-After 1) until the bound.
    const retryLater = (answer: Answer) => answer.status === 503 || (answer.status === 409 && answer.code === 'IDEMPOTENT_REQUEST_IN_PROGRESS' && answer.retryAfter === '1')
    for (let round = 0; pending.length > 0 && round < 12; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 5_000))
      const answers = await Promise.all(pending.map(book))
      settled.push(...answers.filter((answer) => !retryLater(answer)))
      pending = pending.filter((_, i) => retryLater(answers[i]))
    }
    expect(pending).toHaveLength(0)
    // Booked, or the time is taken (by another student, or by this one: a write can land and still fail later).
    const definitive = (answer: Answer) => answer.status === 201 || (answer.status === 409 && (answer.code === 'SLOT_UNAVAILABLE' || answer.code === 'STUDENT_BUSY'))
    expect(settled.filter((answer) => !definitive(answer))).toEqual([])
    expect(settled.some((answer) => answer.status === 201)).toBe(true)
  }, 180_000)

  it('nothing is half-written: every booking whole, with all its claims; no claim without a booking after the sweep', async () => {
    const { mongoDb } = await import('../../src/storage/db')
    const { checkBookingIntegrity } = await import('../helpers/clusterProof')
    const db = mongoDb(payload)
    const booked = await db.collection('appointments').find({ status: 'booked' }, { projection: { bookingKey: 1 } }).toArray()
    const holders = new Set(booked.map((doc) => doc.bookingKey))
    const strayBeforeSweep = await db.collection('booking_claims').countDocuments({ holder: { $nin: [...holders] } })
    console.log(`claims without a booking before the sweep: ${strayBeforeSweep} (a failed write frees its claims at once unless the database refused that too, or the connection was lost)`)

    const report = await checkBookingIntegrity(payload, { tutorIds: [String(tutor.id)], studentIds: students.map((student) => student.id) })
    expect(report.active).toBe(booked.length)
    expect(report).toMatchObject({ incomplete: [], missingClaims: [], strayClaims: [], overlaps: [] })
  }, 120_000)
})
