import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, testPayload, uniqueEmail } from '../helpers/api'
import { startAppServer, type AppServer } from '../helpers/appServer'
import { createStudent, createTutor, futureUtc, TEST_PASSWORD } from '../helpers/fixtures'
import { waitForEmail } from '../helpers/mailbox'

/**
 * The production server from the outside: security headers, CORS/CSRF, body limits, cookie flags, enumeration
 * timing, and what the logs never contain. One server, limits off (RATE_LIMIT_DISABLED=true) so the timing
 * measures the endpoints and not the limiter.
 */
let payload: Payload
let server: AppServer
const SITE_ORIGIN = () => process.env.SERVER_URL!.replace(/\/+$/, '')
const FOREIGN_ORIGIN = 'https://evil.example'

beforeAll(async () => {
  payload = await testPayload()
  server = await startAppServer({ RATE_LIMIT_DISABLED: 'true', MAX_BODY_BYTES: String(1024 * 1024) })
})

afterAll(async () => {
  await server?.stop()
})

const send = (path: string, init: RequestInit & { json?: unknown } = {}) => {
  const headers = new Headers(init.headers)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(init.json)
  }
  return fetch(`${server.url}${path}`, { ...init, headers, body })
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

async function timed(run: () => Promise<Response>): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now()
  const response = await run()
  const body = await response.text()
  return { ms: performance.now() - started, status: response.status, body }
}

/** Alternates two kinds of request `tries` times each; returns medians and asserts identical answers. */
async function compare(label: string, tries: number, a: (i: number) => Promise<Response>, b: (i: number) => Promise<Response>, pauseMs = 0) {
  const times = { a: [] as number[], b: [] as number[] }
  const answers = { a: new Set<string>(), b: new Set<string>() }
  for (let i = 0; i < tries; i++) {
    for (const [key, run] of (i % 2 ? [['b', b], ['a', a]] : [['a', a], ['b', b]]) as [('a' | 'b'), typeof a][]) {
      const result = await timed(() => run(i))
      times[key].push(result.ms)
      answers[key].add(`${result.status} ${result.body}`)
      if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
  }
  const medians = { a: median(times.a), b: median(times.b) }
  const spread = Math.abs(medians.a - medians.b) / Math.max(medians.a, medians.b)
  console.log(`${label}: median ${medians.a.toFixed(1)} ms vs ${medians.b.toFixed(1)} ms (${(spread * 100).toFixed(1)}% apart), ${tries} tries each`)
  expect([...answers.a]).toHaveLength(1)
  expect([...answers.b]).toEqual([...answers.a])
  return { medians, spread }
}

describe('security headers', () => {
  it('the booking site: nonce-based CSP that Next applies to every script, and the usual hardening headers', async () => {
    const response = await send('/')
    const csp = response.headers.get('content-security-policy') ?? ''
    const nonce = csp.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1]
    expect(nonce).toBeTruthy()
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toContain("'unsafe-eval'")
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    const html = await response.text()
    const scripts = html.match(/<script\b[^>]*>/g) ?? []
    expect(scripts.length).toBeGreaterThan(0)
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/)
    expect(response.headers.get('x-powered-by')).toBeNull()
    // A new nonce per response.
    const again = (await send('/')).headers.get('content-security-policy')
    expect(again).not.toBe(csp)
  })

  it('the admin panel gets its own, looser CSP (inline scripts/styles of the Payload UI), still unframeable', async () => {
    const response = await send('/admin')
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'self' 'unsafe-inline'/)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('API answers and health checks carry the headers too', async () => {
    for (const path of ['/api/tutors', '/healthz', '/api/tutors/0123456789abcdef01234567/availability']) {
      const response = await send(path)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    }
    expect((await send('/api/students/me')).headers.get('cache-control')).toMatch(/no-store/)
  })
})

describe('origins', () => {
  it('CORS: a foreign Origin gets no Access-Control-Allow-Origin; SERVER_URL does', async () => {
    const foreign = await send('/api/tutors', { headers: { Origin: FOREIGN_ORIGIN } })
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await send('/api/students/login', { method: 'OPTIONS', headers: { Origin: FOREIGN_ORIGIN, 'Access-Control-Request-Method': 'POST' } })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    const own = await send('/api/tutors', { headers: { Origin: SITE_ORIGIN() } })
    expect(own.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN())
  })

  it('CSRF: the auth cookie is ignored on requests from a foreign origin; the cookie is HttpOnly, Secure, SameSite=Lax', async () => {
    const student = await createStudent(payload, { label: 'csrf' })
    const login = await send('/api/students/login', { method: 'POST', json: { email: student.email, password: TEST_PASSWORD } })
    const setCookie = login.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/Secure/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    const cookie = setCookie.split(';')[0]
    expect(cookie).toMatch(/^payload-token=.+/)

    const fromSite = await send('/api/students/me', { headers: { Cookie: cookie, Origin: SITE_ORIGIN() } })
    expect(((await fromSite.json()) as any).user?.id).toBe(student.id)
    const fromEvil = await send('/api/students/me', { headers: { Cookie: cookie, Origin: FOREIGN_ORIGIN } })
    expect(((await fromEvil.json()) as any).user).toBeNull()

    const tutor = await createTutor(payload)
    const forged = await send('/api/appointments', { method: 'POST', headers: { Cookie: cookie, Origin: FOREIGN_ORIGIN }, json: { tutor: tutor.id, start: futureUtc(60, 10), duration: 60 } })
    expect(forged.status).toBe(401)
    const genuine = await send('/api/appointments', { method: 'POST', headers: { Cookie: cookie, Origin: SITE_ORIGIN() }, json: { tutor: tutor.id, start: futureUtc(60, 10), duration: 60 } })
    expect(genuine.status).toBe(201)
  })
})

describe('request bodies', () => {
  it('a body over 1 MiB is refused with 413 and a reason, before Next/Payload read it', async () => {
    const response = await send('/api/students/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'x@example.com', password: 'p'.repeat(1024 * 1024 + 10) }) })
    expect(response.status).toBe(413)
    expect(((await response.json()) as any).errors[0].message).toMatch(/too large/)
  })

  it('a streamed body without Content-Length is refused with 411', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"email":"a@b.c"}'))
        controller.close()
      },
    })
    const response = await fetch(`${server.url}/api/students/forgot-password`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(411)
    expect(((await response.json()) as any).errors[0].message).toMatch(/Content-Length/)
  })
})

describe('no account enumeration by timing (50 tries each, medians within 20%)', () => {
  it('login: unknown email vs wrong password', async () => {
    const student = await createStudent(payload, { label: 'timing' })
    const { spread } = await compare(
      'login unknown vs wrong password',
      50,
      (i) => send('/api/students/login', { method: 'POST', json: { email: uniqueEmail(`nobody${i}`), password: 'a wrong password here' } }),
      () => send('/api/students/login', { method: 'POST', json: { email: student.email, password: 'a wrong password here' } }),
    )
    expect(spread).toBeLessThan(0.2)
  })

  it('forgot password: unknown vs known address', async () => {
    const student = await createStudent(payload, { label: 'timingforgot' })
    const { spread } = await compare(
      'forgot-password unknown vs known',
      50,
      (i) => send('/api/students/forgot-password', { method: 'POST', json: { email: uniqueEmail(`ghost${i}`) } }),
      () => send('/api/students/forgot-password', { method: 'POST', json: { email: student.email } }),
      50,
    )
    expect(spread).toBeLessThan(0.2)
  })

  it('registration: new vs existing address', async () => {
    const existing = await createStudent(payload, { label: 'timingreg' })
    const body = { password: 'harbour lantern quietly nine', fullName: 'Tim Ing', timeZone: 'UTC' }
    const { spread } = await compare(
      'register new vs existing',
      50,
      (i) => send('/api/students', { method: 'POST', json: { ...body, email: uniqueEmail(`timingnew${i}`) } }),
      () => send('/api/students', { method: 'POST', json: { ...body, email: existing.email } }),
    )
    expect(spread).toBeLessThan(0.2)
  })
})

describe('logs', () => {
  it('never contain passwords, reset or verification tokens, or session tokens', async () => {
    const mark = server.output().length
    const email = uniqueEmail('logsecret')
    const password = 'Zebra-Quartz-Lantern-42-secret'
    const wrongPassword = 'Wrong-Guess-Obelisk-99-secret'
    expect((await send('/api/students', { method: 'POST', json: { email, password, fullName: 'Log Secret', timeZone: 'UTC' } })).status).toBe(201)
    const verifyMail = await waitForEmail(email, (mail) => /verify\?token=/.test(mail.body.html ?? ''))
    const verifyToken = (verifyMail.body.html ?? '').match(/verify\?token=([A-Za-z0-9]+)/)![1]
    expect((await send(`/api/students/verify/${verifyToken}`, { method: 'POST' })).status).toBe(200)
    expect((await send('/api/students/login', { method: 'POST', json: { email, password: wrongPassword } })).status).toBe(401)
    // Someone typing their password into the email field.
    expect((await send('/api/students/login', { method: 'POST', json: { email: wrongPassword, password: wrongPassword } })).status).toBeGreaterThanOrEqual(400)
    const login = await send('/api/students/login', { method: 'POST', json: { email, password } })
    const sessionToken = ((await login.json()) as any).token as string
    expect((await send('/api/students/forgot-password', { method: 'POST', json: { email } })).status).toBe(200)
    const resetMail = await waitForEmail(email, (mail) => /reset-password\?token=/.test(mail.body.html ?? ''))
    const resetToken = (resetMail.body.html ?? '').match(/reset-password\?token=([A-Za-z0-9]+)/)![1]
    const newPassword = 'Marmot-Velvet-Harbour-17-secret'
    expect((await send('/api/students/reset-password', { method: 'POST', json: { token: resetToken, password: newPassword } })).status).toBe(200)
    expect((await send('/api/students/reset-password', { method: 'POST', json: { token: resetToken, password: 'another long passphrase' } })).status).toBe(403)
    await new Promise((resolve) => setTimeout(resolve, 1000))

    const log = server.output().slice(mark).replace(/\x1b\[[0-9;]*m/g, '')
    for (const secret of [password, wrongPassword, newPassword, verifyToken, resetToken, sessionToken, sessionToken.split('.')[2]]) {
      expect(log).not.toContain(secret)
    }
    for (const event of ['auth.registered', 'auth.email_verified', 'auth.login_failed', 'auth.login', 'auth.forgot_password_requested', 'auth.password_reset_link_sent', 'auth.password_reset', 'auth.password_reset_failed']) {
      expect(log).toMatch(new RegExp(`"?event"?\\s*:\\s*"${event.replace(/\./g, '\\.')}"`))
    }
  })

  it('admin changes of an appointment are logged with who, when and what', async () => {
    const admin = await (await import('../helpers/fixtures')).createStaff(payload, 'admin')
    const student = await createStudent(payload, { label: 'auditappt' })
    const tutor = await createTutor(payload)
    const booked = await send('/api/appointments', { method: 'POST', headers: { Authorization: `JWT ${student.token}` }, json: { tutor: tutor.id, start: futureUtc(61, 10), duration: 60 } })
    const id = ((await booked.json()) as any).doc.id
    const mark = server.output().length
    const moved = await send(`/api/appointments/${id}`, { method: 'PATCH', headers: { Authorization: `JWT ${admin.token}` }, json: { start: futureUtc(61, 12), end: futureUtc(61, 13), notes: 'private words' } })
    expect(moved.status).toBe(200)
    expect((await send(`/api/appointments/${id}`, { method: 'DELETE', headers: { Authorization: `JWT ${admin.token}` } })).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const log = server.output().slice(mark).replace(/\x1b\[[0-9;]*m/g, '')
    expect(log).toMatch(/"?event"?\s*:\s*"appointment\.changed"/)
    expect(log).toMatch(/"?event"?\s*:\s*"appointment\.deleted"/)
    expect(log).toContain(`users:${admin.id}`)
    expect(log).toContain(futureUtc(61, 12))
    expect(log).toMatch(/alsoChanged/)
    expect(log).not.toContain('private words')
    void api
  })
})
