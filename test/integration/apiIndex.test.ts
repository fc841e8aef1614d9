import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { API_ENDPOINTS } from '../../src/lib/apiIndex'
import { api, testPayload } from '../helpers/api'
import { startAppServer, type AppServer } from '../helpers/appServer'
import { createStudent, createTutor, TEST_PASSWORD, type TestStudent } from '../helpers/fixtures'

/**
 * What a newcomer meets over HTTP: `/api` (listed in the README) answers with the main endpoints, GraphQL and
 * the docs, each listed route being one the app serves; and the site's cookie sign-in works whichever loopback
 * spelling the browser used in development, while production accepts exactly SERVER_URL.
 */
let payload: Payload
let server: AppServer
let student: TestStudent
let tutorId: string

beforeAll(async () => {
  payload = await testPayload()
  server = await startAppServer()
  student = await createStudent(payload, { label: 'apiindex' })
  tutorId = String((await createTutor(payload)).id)
})

afterAll(async () => {
  await server?.stop()
})

describe('GET /api', () => {
  it('lists the main endpoints, GraphQL, health and the docs (no playground in production)', async () => {
    for (const path of ['/api', '/api/']) {
      const response = await fetch(`${server.url}${path}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      const index = (await response.json()) as Record<string, any>
      expect(index.graphql).toEqual({ url: `${process.env.SERVER_URL}/api/graphql` })
      expect(index.docs.booking).toMatch(/README/)
      expect(index.endpoints).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ method: 'POST', path: '/api/appointments', url: `${process.env.SERVER_URL}/api/appointments` }),
          expect.objectContaining({ method: 'GET', path: '/api/tutors/:id/availability' }),
        ]),
      )
      expect(index.health).toEqual({ liveness: `${process.env.SERVER_URL}/healthz`, readiness: `${process.env.SERVER_URL}/readyz` })
    }
  })

  it('every endpoint it lists is served (none answers "route not found")', async () => {
    const login = await fetch(`${server.url}/api/students/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: student.email, password: TEST_PASSWORD }) })
    const token = ((await login.json()) as { token: string }).token
    const appointment = await fetch(`${server.url}/api/appointments?limit=1`, { headers: { Authorization: `JWT ${token}` } })
    expect(appointment.status).toBe(200)
    for (const entry of API_ENDPOINTS) {
      const path = entry.path.replace(':id', entry.path.startsWith('/api/tutors') ? tutorId : '000000000000000000000000').replace(':token', 'not-a-token')
      const response = await fetch(`${server.url}${path}`, {
        method: entry.method,
        headers: { Authorization: `JWT ${token}`, ...(entry.method === 'GET' ? {} : { 'Content-Type': 'application/json' }) },
        body: entry.method === 'GET' ? undefined : '{}',
      })
      const text = await response.text()
      expect({ route: `${entry.method} ${entry.path}`, routeNotFound: text.includes('Route not found'), serverError: response.status >= 500 }).toEqual({
        route: `${entry.method} ${entry.path}`,
        routeNotFound: false,
        serverError: false,
      })
    }
  })
})

/** Signs in by cookie as the site's forms do, from `origin`, and asks who is signed in from there. */
async function cookieSignIn(send: (path: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; headers: Headers; body: any }>, origin: string) {
  const login = await send('/api/students/login', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ email: student.email, password: TEST_PASSWORD }) })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ')
  expect(cookie).toMatch(/payload-token=/)
  return (await send('/api/students/me', { method: 'GET', headers: { Cookie: cookie, Origin: origin } })).body.user?.email ?? null
}

describe('loopback origins', () => {
  it('in development (the in-process handler: NODE_ENV is not production), localhost and 127.0.0.1 both keep the cookie sign-in', async () => {
    const port = new URL(process.env.SERVER_URL!).port
    const viaHandler = async (path: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
      const response = await api(init.method, path, { headers: init.headers, rawBody: init.body })
      return response
    }
    for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`]) {
      expect(await cookieSignIn(viaHandler, origin)).toBe(student.email)
    }
    expect(await cookieSignIn(viaHandler, 'https://elsewhere.example.com')).toBeNull()
  })

  it('in production, only SERVER_URL: a cookie sent from http://127.0.0.1 is not a sign-in', async () => {
    const overHttp = async (path: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
      const response = await fetch(`${server.url}${path}`, init)
      return { status: response.status, headers: response.headers, body: await response.json() }
    }
    const port = new URL(process.env.SERVER_URL!).port
    expect(await cookieSignIn(overHttp, process.env.SERVER_URL!)).toBe(student.email)
    expect(await cookieSignIn(overHttp, `http://127.0.0.1:${port}`)).toBeNull()
  })
})
