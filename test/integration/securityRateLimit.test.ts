import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { mongoDb } from '../../src/storage/db'
import { RATE_LIMIT_DEFAULTS } from '../../src/security/config'
import { settleForgotPasswordWork } from '../../collections/shared/authEndpoints/forgotPassword'
import { RATE_LIMIT_COLLECTION, RateLimiter, sweepExpiredRateLimitHits } from '../../src/security/rateLimiter'
import { api, testPayload, uniqueEmail } from '../helpers/api'
import { startAppServer, type AppServer } from '../helpers/appServer'
import { createStudent, createTutor, futureUtc, TEST_PASSWORD } from '../helpers/fixtures'

/**
 * Rate limits shared across replicas: exact under concurrency (unique `_id` slots), enforced before the password
 * check, 429 + Retry-After, client IP from trusted proxies only.
 */
let payload: Payload
let servers: AppServer[] = []

const LOGIN_LIMIT = 5
const FORGOT_PER_IP = 3

/** Waits until the current fixed window of `windowMs` has at least `marginMs` left. */
async function outsideWindowEnd(windowMs: number, marginMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs)
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 1_000))
}

beforeAll(async () => {
  payload = await testPayload()
  const env = {
    RATE_LIMIT_LOGIN_PER_ACCOUNT: String(LOGIN_LIMIT),
    RATE_LIMIT_LOGIN_PER_IP: '1000',
    RATE_LIMIT_FORGOT_PASSWORD_PER_IP: String(FORGOT_PER_IP),
    TRUSTED_PROXIES: '127.0.0.1,::1',
  }
  servers = await Promise.all([startAppServer(env), startAppServer(env)])
})

afterAll(async () => {
  await settleForgotPasswordWork()
  await Promise.all(servers.map((server) => server.stop()))
})

/** Audit events of one kind in a server's log (pretty or JSON lines), colour codes removed. */
const countEvents = (log: string, event: string): number =>
  log.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((line) => new RegExp(`"?event"?\\s*:\\s*"${event.replace('.', '\\.')}"`).test(line)).length

const post = (server: AppServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })

describe('the limiter itself', () => {
  it('lets exactly `limit` of 200 racing attempts through, across four limiter instances (= processes)', async () => {
    const db = mongoDb(payload)
    // One instant for every attempt: a real clock could cross a window boundary mid-test (a fresh window, fresh slots).
    const instant = Date.now()
    const clock = () => instant
    const limiters = Array.from({ length: 4 }, () => new RateLimiter(db, clock))
    const rule = { name: 'login:account' as const, limit: 25, windowSeconds: 600 }
    const subject = `race:${uniqueEmail('limiter')}`
    const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => limiters[i % 4].hit(rule, subject)))
    expect(outcomes.filter((outcome) => outcome.allowed)).toHaveLength(25)
    const refused = outcomes.filter((outcome) => !outcome.allowed)
    expect(refused).toHaveLength(175)
    for (const outcome of refused) if (!outcome.allowed) expect(outcome.retryAfterSeconds).toBeGreaterThan(0)
    const slots = new Set(outcomes.flatMap((outcome) => (outcome.allowed && outcome.slotId ? [outcome.slotId] : [])))
    expect(slots.size).toBe(25)
    // Once a process has seen the window full it answers without the database; a fresh one probes and agrees.
    expect((await limiters[0].hit(rule, subject)).allowed).toBe(false)
    expect((await new RateLimiter(db, clock).hit(rule, subject)).allowed).toBe(false)
    // A released slot (a successful login) can be taken again.
    const allowed = outcomes.find((outcome) => outcome.allowed)!
    await limiters[1].release(allowed)
    expect((await limiters[1].hit(rule, subject)).allowed).toBe(true)
    expect((await limiters[1].hit(rule, subject)).allowed).toBe(false)
  })

  it('starts afresh in the next window, and the sweeper deletes finished windows', async () => {
    const db = mongoDb(payload)
    let now = Date.UTC(2030, 0, 1, 12, 0, 0)
    const limiter = new RateLimiter(db, () => now)
    const rule = { name: 'verify:ip' as const, limit: 2, windowSeconds: 60 }
    const subject = `window:${uniqueEmail('window')}`
    expect((await limiter.hit(rule, subject)).allowed).toBe(true)
    expect((await limiter.hit(rule, subject)).allowed).toBe(true)
    const refused = await limiter.hit(rule, subject)
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 60 })
    now += 60_000
    expect((await limiter.hit(rule, subject)).allowed).toBe(true)
    const before = await db.collection(RATE_LIMIT_COLLECTION).countDocuments({ expiresAt: { $lte: new Date(now) } })
    expect(before).toBeGreaterThanOrEqual(2)
    expect(await sweepExpiredRateLimitHits(db, new Date(now))).toBe(before)
    expect(await db.collection(RATE_LIMIT_COLLECTION).countDocuments({ expiresAt: { $lte: new Date(now) } })).toBe(0)
  })
})

describe('login limits across two server processes', () => {
  it(`100 parallel wrong-password logins for one account: ${LOGIN_LIMIT} password checks, the rest 429`, async () => {
    const student = await createStudent(payload, { label: 'bruteforce' })
    // The limiter counts in fixed 15-minute windows (on the clock): a burst straddling a window's end would be counted
    // in two windows (CI, 02:15:00: 10 × 401). Start it well inside one.
    await outsideWindowEnd(RATE_LIMIT_DEFAULTS['login:account'][1] * 1_000, 60_000)
    const mark = servers.map((server) => server.output().length)
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => post(servers[i % 2], '/api/students/login', { email: student.email, password: `wrong guess number ${i}` })),
    )
    const statuses = responses.map((response) => response.status)
    const bodies = await Promise.all(responses.map((response) => response.json() as Promise<any>))
    const unauthorized = statuses.filter((status) => status === 401).length
    const limited = responses.filter((response) => response.status === 429)
    console.log(`brute force: ${unauthorized} × 401, ${limited.length} × 429, other ${statuses.filter((s) => s !== 401 && s !== 429)}`)
    expect(unauthorized).toBe(LOGIN_LIMIT)
    expect(limited).toHaveLength(100 - LOGIN_LIMIT)
    for (const response of limited) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(bodies.find((body) => body.errors?.[0]?.data?.code === 'RATE_LIMITED')?.errors[0].message).toMatch(/Too many attempts\. Try again in/)

    // The password was checked (Payload's login reached) at most LOGIN_LIMIT times in total.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const checks = servers.map((server, i) => countEvents(server.output().slice(mark[i]), 'auth.login_failed'))
    console.log(`password checks per server: ${checks}`)
    expect(checks.reduce((a, b) => a + b, 0)).toBe(LOGIN_LIMIT)

    // Locked for the window, even with the right password; other accounts are not affected.
    const locked = await post(servers[0], '/api/students/login', { email: student.email, password: TEST_PASSWORD })
    expect(locked.status).toBe(429)
    const other = await createStudent(payload, { label: 'bystander' })
    expect((await post(servers[1], '/api/students/login', { email: other.email, password: TEST_PASSWORD })).status).toBe(200)
  })

  it('an unknown email is limited exactly like a real one (no enumeration through the limiter)', async () => {
    const email = uniqueEmail('ghostlimit')
    const statuses: number[] = []
    for (let i = 0; i < LOGIN_LIMIT + 2; i++) statuses.push((await post(servers[i % 2], '/api/students/login', { email, password: 'no such account here' })).status)
    expect(statuses).toEqual([...Array(LOGIN_LIMIT).fill(401), 429, 429])
  })

  it('successful logins do not use up the account limit', async () => {
    const student = await createStudent(payload, { label: 'frequent' })
    for (let i = 0; i < LOGIN_LIMIT + 3; i++) {
      expect((await post(servers[i % 2], '/api/students/login', { email: student.email, password: TEST_PASSWORD })).status).toBe(200)
    }
  })
})

describe('per-IP limits and the client address', () => {
  it('counts per client address from a trusted proxy; a client cannot pick its own address', async () => {
    const from = (ip: string, extra: Record<string, string> = {}) => ({ 'X-Forwarded-For': ip, ...extra })
    const statuses: number[] = []
    for (let i = 0; i < FORGOT_PER_IP + 1; i++) {
      // A forged x-tutortrack-client-ip is replaced by the server's own value.
      const response = await post(servers[i % 2], '/api/students/forgot-password', { email: uniqueEmail(`ip${i}`) }, from('203.0.113.77', { 'x-tutortrack-client-ip': `198.18.0.${i}` }))
      statuses.push(response.status)
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    expect(statuses).toEqual([...Array(FORGOT_PER_IP).fill(200), 429])
    // Another client behind the same proxy is not affected.
    expect((await post(servers[0], '/api/students/forgot-password', { email: uniqueEmail('ipother') }, from('203.0.113.78'))).status).toBe(200)
  })
})

describe('per-account and per-student limits (in-process)', () => {
  const withEnv = async <T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> => {
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]))
    Object.assign(process.env, env)
    try {
      return await run()
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key]
        else process.env[key] = value
      }
    }
  }

  it('booking: a student making too many attempts gets 429 with Retry-After; others can still book', async () => {
    const tutor = await createTutor(payload)
    const [eager, calm] = [await createStudent(payload, { label: 'eager' }), await createStudent(payload, { label: 'calm' })]
    await withEnv({ RATE_LIMIT_BOOKING_PER_STUDENT: '2' }, async () => {
      const book = (student: typeof eager, hour: number) => api('POST', '/api/appointments', { token: student.token, body: { tutor: tutor.id, start: futureUtc(50, hour), duration: 60 } })
      expect((await book(eager, 9)).status).toBe(201)
      expect((await book(eager, 11)).status).toBe(201)
      const third = await book(eager, 13)
      expect(third.status).toBe(429)
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(third.body.errors[0].data.code).toBe('RATE_LIMITED')
      expect((await book(calm, 15)).status).toBe(201)
    })
  })

  it('registration and forgot-password: per address', async () => {
    await withEnv({ RATE_LIMIT_REGISTER_PER_ACCOUNT: '2', RATE_LIMIT_FORGOT_PASSWORD_PER_ACCOUNT: '2' }, async () => {
      const email = uniqueEmail('regspam')
      const register = () => api('POST', '/api/students', { body: { email, password: 'willow harbour seventeen', fullName: 'Reg Spam', timeZone: 'UTC' } })
      expect([(await register()).status, (await register()).status, (await register()).status]).toEqual([201, 201, 429])
      const forgot = () => api('POST', '/api/students/forgot-password', { body: { email } })
      expect([(await forgot()).status, (await forgot()).status, (await forgot()).status]).toEqual([200, 200, 429])
      await settleForgotPasswordWork()
    })
  })

  it('RATE_LIMIT_DISABLED=true turns every limit off', async () => {
    await withEnv({ RATE_LIMIT_DISABLED: 'true', RATE_LIMIT_FORGOT_PASSWORD_PER_ACCOUNT: '1' }, async () => {
      const email = uniqueEmail('unlimited')
      for (let i = 0; i < 3; i++) expect((await api('POST', '/api/students/forgot-password', { body: { email } })).status).toBe(200)
      await settleForgotPasswordWork()
    })
  })
})
