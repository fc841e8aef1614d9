import { createHash } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { BSON } from 'mongodb'
import type { Payload } from 'payload'

import { CLAIM_SWEEPS_COLLECTION } from '../../src/booking/claimStore'
import { RATE_LIMIT_COLLECTION } from '../../src/security/rateLimiter'
import { mongoDb } from '../../src/storage/db'
import { testPayload, uniqueEmail } from '../helpers/api'
import { startAppServer, type AppServer } from '../helpers/appServer'
import { createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'

/**
 * Bad input never hurts: a few thousand malformed requests (fast-check, fixed seed) to every public endpoint of a
 * production server. Each must be refused with a 4xx and a reason (GraphQL: its usual 200 + `errors`, or a 4xx),
 * never a 5xx; no document may be created or changed; the server stays ready.
 */
let payload: Payload
let server: AppServer
let student: TestStudent
let tutorId: string
let ownAppointmentId: string

const SEED = 20261125
const TIME_BUDGET_MS = 150_000
const CONCURRENCY = 8

type FuzzRequest = { label: string; method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string; graphql?: boolean }

beforeAll(async () => {
  payload = await testPayload()
  server = await startAppServer({ RATE_LIMIT_DISABLED: 'true', EMAIL_DISPATCH_ENABLED: '0', LOG_LEVEL: 'fatal' })
  student = await createStudent(payload, { label: 'fuzz' })
  const tutor = await createTutor(payload)
  tutorId = String(tutor.id)
  const booked = await fetch(`${server.url}/api/appointments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `JWT ${student.token}` },
    body: JSON.stringify({ tutor: tutorId, start: futureUtc(90, 10), duration: 60 }),
  })
  expect(booked.status).toBe(201)
  ownAppointmentId = ((await booked.json()) as { doc: { id: string } }).doc.id
})

afterAll(async () => {
  await server?.stop()
})

// ---------------------------------------------------------------------------------------------- generators

/** encodeURIComponent, except that lone surrogates (which it refuses) become raw invalid UTF-8 escapes. */
const uri = (value: string): string => {
  try {
    return encodeURIComponent(value)
  } catch {
    return '%ED%A0%80'
  }
}
const text = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'))
const hex40 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 })
const injection = fc.constantFrom<unknown>({ $gt: '' }, { $ne: null }, { $regex: '.*' }, { $where: 'sleep(1000)' }, { $in: ['a'] }, ['$gt'], { toString: 1 }, { __proto__: { admin: true } })
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }), injection)
const junkText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '%00', '\uD800', 'a'.repeat(5000)))
const badEmail = fc.oneof(wrongType, fc.constantFrom('', 'no-at-sign', 'a@', '@b.co', 'a b@c.de', 'x'.repeat(400), '"q"@x.io'), fc.string({ maxLength: 30 }).filter((text) => !/^[^\s@]+@[^\s@]+$/.test(text.trim())))
const badDate = fc.oneof(wrongType, fc.constantFrom('2026-13-45T25:61:00Z', 'tomorrow', '2026-12-01', '2026-12-01T10:00:00', '1e400', '', 'NaN', '+275760-09-13T00:00:00.001Z', '2026-02-30T10:00:00Z', '0000-00-00T00:00:00Z'))
const badObjectId = fc.oneof(fc.constantFrom('zzz', '123', '0123456789abcdef0123456', '0123456789abcdef012345678', 'gggggggggggggggggggggggg', '$gt', '%24ne', '..%2F..%2F', 'null', 'undefined', '[object Object]'), fc.string({ minLength: 1, maxLength: 30 }).map(uri))

/** A body that is broken in at least one way: bad JSON, not an object, a wrong content type, or too big. */
const brokenEnvelope = fc.oneof(
  fc.constantFrom('{', '{"a":', 'null', '[]', '"text"', '42', 'true', '{"a":1}}', '\u0000', '', '{"__proto__":{"admin":true}}x', 'NaN').map((body) => ({ body, headers: { 'Content-Type': 'application/json' } })),
  fc.record({ body: fc.json({ maxDepth: 2 }), type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x') }).map(({ body, type }) => ({ body, headers: { 'Content-Type': type } })),
  fc.constant({ body: JSON.stringify({ filler: 'x'.repeat(1024 * 1024 + 1) }), headers: { 'Content-Type': 'application/json' } }),
)

/** Takes a valid-looking object and breaks it (at least one field wrong, missing, injected or unknown). */
function broken<T extends Record<string, unknown>>(valid: T, badValues: { [K in keyof T]?: fc.Arbitrary<unknown> }, required: (keyof T)[]) {
  const fields = Object.keys(badValues) as (keyof T)[]
  const mutation = fc.oneof(
    fc.record({ field: fc.constantFrom(...fields) }).chain(({ field }) => badValues[field]!.map((value) => ({ ...valid, [field]: value }))),
    fc.record({ field: fc.constantFrom(...fields), value: injection }).map(({ field, value }) => ({ ...valid, [field]: value })),
    ...(required.length ? [fc.constantFrom(...required).map((field) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field)))] : []),
  )
  return fc.tuple(mutation, fc.option(fc.record({ key: fc.constantFrom('role', '_verified', 'hash', 'salt', 'sessions', 'id', 'student', 'status', '$where', '__proto__', 'constructor'), value: wrongType }), { freq: 3 })).map(([body, extra]) => (extra ? { ...body, [extra.key]: extra.value } : body))
}

const json = (label: string, method: 'POST', path: string, bodies: fc.Arbitrary<unknown>, headers: Record<string, string> = {}): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(
    { weight: 9, arbitrary: bodies.map((body) => ({ label, method, path, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })) },
    { weight: 1, arbitrary: brokenEnvelope.map(({ body, headers: envelope }) => ({ label, method, path, headers: { ...envelope, ...headers }, body })) },
  )

function requests(): { label: string; count: number; arbitrary: fc.Arbitrary<FuzzRequest> }[] {
  const auth = { Authorization: `JWT ${student.token}` }
  const registration = { email: 'fuzz.new@example.com', password: 'orchid lantern seventy two', fullName: 'Fuzz Student', timeZone: 'Europe/Paris' }
  const booking = { tutor: tutorId, start: futureUtc(95, 10), duration: 60, notes: 'Chapter 4' }
  const tutorPath = (id: fc.Arbitrary<string>) => id
  return [
    {
      label: 'register',
      count: 400,
      arbitrary: json('register', 'POST', '/api/students', broken(registration, {
        email: badEmail,
        password: fc.oneof(wrongType, fc.constantFrom('', 'short', 'password1234', '123456789012', 'qwertyuiop12', 'x'.repeat(129))),
        fullName: fc.oneof(fc.integer(), fc.array(fc.string()), injection, fc.constant('y'.repeat(121)), fc.constant('')),
        timeZone: fc.oneof(wrongType, fc.constantFrom('Mars/Olympus', 'UTC+25', '', '../../etc', 'America/New York')),
        phone: fc.oneof(fc.integer(), injection, fc.constantFrom('call me maybe', '1'.repeat(30), '<b>1</b>')),
      } as never, ['email', 'password', 'fullName'])),
    },
    {
      label: 'login',
      count: 300,
      arbitrary: json('login', 'POST', '/api/students/login', fc.oneof(
        { weight: 5, arbitrary: fc.record({ email: fc.oneof(wrongType, badEmail), password: fc.oneof(wrongType, junkText) }) },
        { weight: 1, arbitrary: fc.record({ email: fc.constant(student.email), password: fc.oneof(injection, fc.constantFrom('', '   ', 'wrong password guess')) }) },
        { weight: 1, arbitrary: fc.record({ email: fc.string({ maxLength: 10 }).map((local) => `${local.replace(/[^a-z]/gi, '') || 'x'}.nobody@example.com`), password: junkText.filter((text) => text.trim() !== '') }) },
        { weight: 1, arbitrary: fc.record({ username: junkText, extra: wrongType }) },
      )),
    },
    { label: 'forgot-password', count: 200, arbitrary: json('forgot-password', 'POST', '/api/students/forgot-password', fc.oneof(fc.record({ email: badEmail }), fc.record({ username: junkText }), fc.constant({}))) },
    {
      label: 'reset-password',
      count: 200,
      arbitrary: json('reset-password', 'POST', '/api/students/reset-password', fc.record({ token: fc.oneof(wrongType, junkText, hex40), password: fc.oneof(wrongType, junkText, fc.constant('plenty long passphrase here')) }, { requiredKeys: [] })),
    },
    {
      label: 'verify',
      count: 150,
      arbitrary: fc.oneof(hex40, badObjectId, fc.string({ maxLength: 300 }).map(encodeURIComponent)).map((token) => ({ label: 'verify', method: 'POST' as const, path: `/api/students/verify/${token || 'x'}` })),
    },
    {
      label: 'tutors list',
      count: 300,
      arbitrary: fc
        .oneof(
          fc.tuple(fc.constantFrom('name', 'active', 'id', 'subjects', 'hash', 'weeklyAvailability.day'), fc.constantFrom('$gt', '$ne', '$regex', '$where', '$exists', '$in', 'near', 'within', 'intersects', 'nope', '$expr'), junkText).map(([field, op, value]) => `where[${field}][${op}]=${uri(text(value))}`),
          fc.tuple(fc.constantFrom('equals', 'in', 'not_in', 'not_equals'), badObjectId).map(([op, id]) => `where[id][${op}]=${id}`),
          fc.constantFrom('where=[object]', 'where=1', 'where[or]=x', 'where[and][0]=1', 'where[$or][0][name][equals]=a', 'sort=$natural', 'sort=-', 'sort={"a":1}', 'limit=abc', 'limit=-1', 'page=1e9', 'depth=999', 'where[name]=x', 'where[name][equals][$gt]=', 'where[password][exists]=true', 'where[hash][exists]=true', 'where[salt][like]=a', 'where[email][equals]=a'),
          junkText.map((text) => `sort=${uri(text)}x!`),
        )
        .map((query) => ({ label: 'tutors list', method: 'GET' as const, path: `/api/tutors?${query}` })),
    },
    { label: 'tutor get', count: 100, arbitrary: badObjectId.map((id) => ({ label: 'tutor get', method: 'GET' as const, path: `/api/tutors/${id}` })) },
    {
      label: 'availability',
      count: 300,
      arbitrary: fc
        .record({
          id: fc.oneof({ weight: 3, arbitrary: fc.constant(tutorId) }, { weight: 1, arbitrary: badObjectId }),
          from: fc.option(badDate.map(text), { nil: undefined }),
          to: fc.option(fc.oneof(badDate.map(text), fc.constant(new Date(Date.now() + 90 * 86_400_000).toISOString())), { nil: undefined }),
          duration: fc.option(fc.oneof(fc.constantFrom('0', '-30', '45', '1e9', 'abc', '60.5', '', '[object Object]'), fc.integer().map(String)), { nil: undefined }),
          tz: fc.option(fc.constantFrom('Mars/Olympus', 'UTC+25', '', '%00', 'America/New York'), { nil: undefined }),
          extra: fc.option(fc.constantFrom('duration[$gt]=1', 'from[$ne]=1', 'tz[]=UTC'), { nil: undefined }),
        })
        .filter((query) => query.id !== tutorId || [query.from, query.duration, query.tz, query.extra].some((value) => value !== undefined))
        .map(({ id, extra, ...params }) => {
          const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== undefined) as [string, string][])
          // "from" alone may be fine (a duration the tutor offers is needed too): force one definite defect.
          if (!search.has('duration') && !search.has('tz') && !extra && id === tutorId) search.set('duration', '7')
          return { label: 'availability', method: 'GET' as const, path: `/api/tutors/${id}/availability?${search}${extra ? `&${extra}` : ''}` }
        }),
    },
    {
      label: 'book',
      count: 300,
      arbitrary: fc.oneof(
        { weight: 4, arbitrary: json('book', 'POST', '/api/appointments', broken(booking, { tutor: fc.oneof(wrongType, badObjectId, fc.constant('0123456789abcdef01234567')), start: badDate, duration: fc.oneof(wrongType, fc.constantFrom(0, 7, 45, -60, 481, 1e9, '60abc')), notes: fc.oneof(fc.integer(), injection, fc.constant('n'.repeat(2001))) } as never, ['tutor', 'start', 'duration']), auth) },
        { weight: 1, arbitrary: json('book', 'POST', '/api/appointments', fc.constant(booking)) /* anonymous */ },
        { weight: 1, arbitrary: json('book', 'POST', '/api/appointments', broken(booking, { start: badDate } as never, []), { ...auth, 'Idempotency-Key': 'k'.repeat(300) }) },
      ),
    },
    {
      label: 'cancel',
      count: 150,
      arbitrary: fc.oneof(
        json('cancel', 'POST', `/api/appointments/${ownAppointmentId}/cancel`, fc.oneof(fc.record({ reason: fc.oneof(fc.integer(), injection, fc.constant('r'.repeat(1001))) }), fc.record({ reason: fc.string(), status: wrongType })), auth),
        badObjectId.chain((id) => json('cancel', 'POST', `/api/appointments/${id}/cancel`, fc.record({ reason: fc.string({ maxLength: 20 }) }), auth)),
        json('cancel', 'POST', `/api/appointments/${ownAppointmentId}/cancel`, fc.constant({ reason: 'anonymous' })),
      ),
    },
    {
      label: 'reschedule',
      count: 150,
      arbitrary: fc.oneof(
        json('reschedule', 'POST', `/api/appointments/${ownAppointmentId}/reschedule`, broken({ start: futureUtc(96, 10), duration: 60 }, { start: badDate, duration: fc.oneof(wrongType, fc.constantFrom(0, 7, 1e9)) } as never, ['start']), auth),
        badObjectId.chain((id) => json('reschedule', 'POST', `/api/appointments/${id}/reschedule`, fc.constant({ start: futureUtc(96, 12) }), auth)),
      ),
    },
    {
      label: 'graphql',
      count: 250,
      arbitrary: fc.oneof(
        fc.constantFrom(
          '{ Tutors(where: { name: { like: "(" } }) { docs { id } } }x',
          '{ Tutor(id: "zzz") { id } }',
          '{ Tutor(id: "0123456789abcdef01234567") { id } }',
          'mutation { createTutor(data: {}) { id } }',
          'mutation { deleteTutor(id: "0123456789abcdef01234567") { id } }',
          'mutation { createAppointment(data: { tutor: "x", student: "y", start: "nope", end: "nope" }) { id } }',
          'mutation { loginStudent(email: "a@b.co", password: "x") { token } }',
          'mutation { createStudent(data: { email: "a@b.co", password: "x", fullName: "x", timeZone: "UTC" }) { id } }',
          '{ Students { docs { email hash salt } } }',
          '{ Users { docs { email } } }',
          '{ __schema { types { name } } }',
          '{ Tutors(where: { id: { in: ["zzz"] } }) { docs { id } } }',
          '{ Tutors(limit: -1, page: -5) { docs { name } } }x',
          '{'.repeat(300),
        ).map((query) => ({ query })),
        fc.record({ query: junkText, variables: fc.option(wrongType) }),
        fc.record({ query: wrongType }),
        fc.record({ operationName: junkText }),
      ).chain((body) => json('graphql', 'POST', '/api/graphql', fc.constant(body))).map((request) => ({ ...request, graphql: true })),
    },
  ]
}

// ---------------------------------------------------------------------------------------------- the database

async function snapshot(): Promise<Map<string, { count: number; fingerprint: string }>> {
  const db = mongoDb(payload)
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((collection) => collection.name)
    // The orphan-claim sweeper's checkpoint: moved by the server's minute timer, not by any request.
    .filter((name) => name !== CLAIM_SWEEPS_COLLECTION)
    // Rate-limit slots: the minute maintenance sweep deletes other files' finished windows (this server's limits are off).
    .filter((name) => name !== RATE_LIMIT_COLLECTION)
    .sort()
  const result = new Map<string, { count: number; fingerprint: string }>()
  for (const name of names) {
    const docs = await db.collection(name).find({}).toArray()
    docs.sort((a, b) => String(a._id).localeCompare(String(b._id)))
    result.set(name, { count: docs.length, fingerprint: createHash('sha256').update(BSON.EJSON.stringify(docs, { relaxed: false })).digest('hex') })
  }
  return result
}

// ---------------------------------------------------------------------------------------------- the run

type Outcome = { request: FuzzRequest; status: number; reason?: string; error?: string }

async function send(request: FuzzRequest): Promise<Outcome> {
  try {
    const response = await fetch(`${server.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(30_000) })
    const text = await response.text()
    let reason: string | undefined
    try {
      const parsed = JSON.parse(text) as { errors?: { message?: unknown }[]; message?: unknown; data?: unknown }
      const message = parsed.errors?.[0]?.message ?? parsed.message
      if (typeof message === 'string' && message.length > 0) reason = message
      if (request.graphql && response.status === 200 && parsed.data && Object.values(parsed.data as object).some((value) => value !== null)) reason = undefined
    } catch {
      // not JSON: no reason
    }
    return { request, status: response.status, reason }
  } catch (error) {
    return { request, status: 0, error: (error as Error).message }
  }
}

describe('fuzzing every public endpoint', () => {
  it('thousands of malformed requests: all refused with a reason, none 5xx, nothing written, server healthy', async () => {
    const plan = requests().flatMap(({ count, arbitrary }, i) => fc.sample(arbitrary, { numRuns: count, seed: SEED + i }))
    // Interleave endpoints so a slow kind does not run alone at the end.
    plan.sort((a, b) => createHash('md5').update(JSON.stringify(a)).digest('hex').localeCompare(createHash('md5').update(JSON.stringify(b)).digest('hex')))

    await new Promise((resolve) => setTimeout(resolve, 500))
    const before = await snapshot()
    const started = Date.now()
    const outcomes: Outcome[] = []
    let next = 0
    const worker = async () => {
      while (next < plan.length && Date.now() - started < TIME_BUDGET_MS) outcomes.push(await send(plan[next++]))
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const elapsed = Date.now() - started
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const after = await snapshot()

    const byLabel = new Map<string, Record<string, number>>()
    for (const outcome of outcomes) {
      const tally = byLabel.get(outcome.request.label) ?? {}
      const key = outcome.status === 0 ? 'network' : `${outcome.status}`
      tally[key] = (tally[key] ?? 0) + 1
      byLabel.set(outcome.request.label, tally)
    }
    const count = (predicate: (outcome: Outcome) => boolean) => outcomes.filter(predicate).length
    const summary = {
      planned: plan.length,
      sent: outcomes.length,
      seconds: Math.round(elapsed / 1000),
      '4xx': count((outcome) => outcome.status >= 400 && outcome.status < 500),
      graphql200WithErrors: count((outcome) => outcome.status === 200 && Boolean(outcome.request.graphql)),
      '5xx': count((outcome) => outcome.status >= 500),
    }
    console.log(`fuzz: ${JSON.stringify(summary)}\n${[...byLabel].map(([label, tally]) => `  ${label}: ${JSON.stringify(tally)}`).join('\n')}`)

    const serverErrors = outcomes.filter((outcome) => outcome.status >= 500 || outcome.status === 0)
    if (serverErrors.length) console.log(`5xx / network:\n${serverErrors.slice(0, 40).map((outcome) => `  ${outcome.status} ${outcome.request.method} ${outcome.request.path.slice(0, 100)} ${JSON.stringify(outcome.request.headers ?? {})} ${(outcome.request.body ?? '').slice(0, 160)}`).join('\n')}`)
    const noReason = outcomes.filter((outcome) => outcome.status < 500 && !outcome.reason)
    if (noReason.length) console.log(`no reason:\n${noReason.slice(0, 20).map((outcome) => `  ${outcome.status} ${outcome.request.method} ${outcome.request.path.slice(0, 100)} ${(outcome.request.body ?? '').slice(0, 160)}`).join('\n')}`)
    expect(serverErrors.slice(0, 5).map((outcome) => ({ status: outcome.status, error: outcome.error, request: { ...outcome.request, body: outcome.request.body?.slice(0, 300) } }))).toEqual([])
    const unexplained = outcomes.filter((outcome) => !((outcome.status >= 400 && outcome.status < 500) || (outcome.request.graphql && outcome.status === 200)) || !outcome.reason)
    expect(unexplained.slice(0, 5).map((outcome) => ({ status: outcome.status, reason: outcome.reason, request: { ...outcome.request, body: outcome.request.body?.slice(0, 300) } }))).toEqual([])
    expect(outcomes.length).toBeGreaterThanOrEqual(2000)

    // Nothing created or changed, in any collection.
    expect([...after.keys()]).toEqual([...before.keys()])
    for (const [name, state] of before) expect({ name, ...after.get(name) }).toEqual({ name, ...state })

    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(200)
    void uniqueEmail
  }, 300_000)
})
