import net from 'node:net'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'

import { startLocalDatabase, type LocalDatabase } from '../../scripts/local-db'
import { api, testPayload } from '../helpers/api'
import { startAppServer, type AppServer } from '../helpers/appServer'
import { createStaff, createStudent, createTutor, futureUtc } from '../helpers/fixtures'

/** Writes raw HTTP on one socket and resolves with everything the server sent back until it closed. */
function rawExchange(port: number): { socket: net.Socket; write: (text: string) => void; reply: Promise<string> } {
  const socket = net.connect(port, '127.0.0.1')
  let received = ''
  const reply = new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk) => (received += chunk))
    socket.on('end', () => resolve(received))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
  })
  return { socket, write: (text) => socket.write(text), reply }
}

const connects = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

describe('the Express server around Next + Payload', () => {
  let server: AppServer

  beforeAll(async () => {
    server = await startAppServer()
  })

  afterAll(async () => {
    if (server.process.exitCode === null) await server.stop()
  })

  it('answers /healthz and /readyz, serves the site, the admin panel, REST and GraphQL', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready' })

    const home = await fetch(`${server.url}/`)
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('Find a tutor')

    const admin = await fetch(`${server.url}/admin/login`)
    expect(admin.status).toBe(200)

    const tutors = await fetch(`${server.url}/api/tutors?limit=1`)
    expect(tutors.status).toBe(200)
    expect(await tutors.json()).toHaveProperty('docs')

    const graphqlResponse = await fetch(`${server.url}/api/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ Tutors(where: { active: { equals: true } }) { docs { name } } }' }),
    })
    expect(graphqlResponse.status).toBe(200)
    expect((await graphqlResponse.json()).data.Tutors).toHaveProperty('docs')
  })

  it('answers a tutor\'s availability once per viewer: staff get the Payload endpoint\'s answer through Express\'s port, anonymous visitors the fast path\'s', async () => {
    const payload = await testPayload()
    const tutor = await createTutor(payload, { active: false })
    const staff = await createStaff(payload, 'editor')
    const path = `/api/tutors/${tutor.id}/availability?from=${futureUtc(2, 0)}&to=${futureUtc(3, 0)}&duration=60`

    const viaPayload = await api('GET', path, { token: staff.token })
    expect(viaPayload.status).toBe(200)
    expect(viaPayload.body).toMatchObject({ tutor: { id: tutor.id, active: false }, slots: [] })
    const viaExpress = await fetch(`${server.url}${path}`, { headers: { Authorization: `JWT ${staff.token}` } })
    expect(viaExpress.status).toBe(viaPayload.status)
    expect(await viaExpress.json()).toEqual(viaPayload.body)

    const anonymous = await fetch(`${server.url}${path}`)
    expect(anonymous.status).toBe(404)
    expect(await anonymous.json()).toEqual({ errors: [{ message: `No tutor "${tutor.id}".`, data: { code: 'TUTOR_NOT_FOUND' } }] })
  })

  it('answers GET /api/<collection>[/:id] beside Next with Payload\'s answer: same status and body per viewer, private fields for staff only, gzip past 1 KiB', async () => {
    const payload = await testPayload()
    const tutor = await createTutor(payload, { bio: 'A long bio. '.repeat(200), meetingLocation: 'Room 4' })
    const hidden = await createTutor(payload, { active: false })
    const student = await createStudent(payload)
    const staff = await createStaff(payload, 'editor')
    const cases: [string, string | undefined][] = [
      [`/api/tutors/${tutor.id}`, undefined],
      [`/api/tutors/${tutor.id}?depth=2`, student.token],
      [`/api/tutors/${tutor.id}`, staff.token],
      [`/api/tutors/${hidden.id}`, undefined],
      [`/api/tutors/${hidden.id}`, staff.token],
      [`/api/tutors?limit=5&where[id][equals]=${tutor.id}`, undefined],
      ['/api/appointments', undefined],
      ['/api/students/me', student.token],
    ]
    for (const [path, token] of cases) {
      const viaPayload = await api('GET', path, { token })
      const viaExpress = await fetch(`${server.url}${path}`, { headers: token ? { Authorization: `JWT ${token}` } : {} })
      expect([path, viaExpress.status]).toEqual([path, viaPayload.status])
      const body = await viaExpress.json()
      // /me carries a fresh expiry per answer; everything else is byte-for-byte Payload's.
      if (!path.endsWith('/me')) expect(body).toEqual(viaPayload.body)
      else expect(body.user.id).toBe(student.id)
    }
    const anonymous = await (await fetch(`${server.url}/api/tutors/${tutor.id}`)).json()
    const asStudent = await (await fetch(`${server.url}/api/tutors/${tutor.id}`, { headers: { Authorization: `JWT ${student.token}` } })).json()
    const asStaff = await (await fetch(`${server.url}/api/tutors/${tutor.id}`, { headers: { Authorization: `JWT ${staff.token}` } })).json()
    for (const view of [anonymous, asStudent]) {
      expect(view).not.toHaveProperty('contactEmail')
      expect(view).not.toHaveProperty('meetingLocation')
      // Payload answers a read-denied array field as empty (as tutorPrivateFields.test.ts expects).
      expect(view.timeOff ?? []).toEqual([])
    }
    expect(asStaff).toMatchObject({ contactEmail: tutor.contactEmail, meetingLocation: 'Room 4' })

    const gzipped = await fetch(`${server.url}/api/tutors/${tutor.id}`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(gzipped.headers.get('vary')).toContain('Accept-Encoding')
    expect(await gzipped.json()).toEqual(anonymous)
    const plain = await fetch(`${server.url}/api/tutors/${tutor.id}`, { headers: { 'Accept-Encoding': 'identity' } })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.json()).toEqual(anonymous)
  })

  it('on SIGTERM: readiness turns 503, new connections are refused, the in-flight request completes, exit 0', async () => {
    // A request whose headers are still arriving when the signal lands is in flight.
    const inFlight = rawExchange(server.port)
    await new Promise((resolve) => inFlight.socket.once('connect', resolve))
    inFlight.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n')
    await new Promise((resolve) => setTimeout(resolve, 200))

    server.process.kill('SIGTERM')
    const deadline = Date.now() + 10_000
    while ((await connects(server.port)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await connects(server.port)).toBe(false)

    inFlight.write('Connection: keep-alive\r\n\r\n')
    const reply = await inFlight.reply
    expect(reply).toMatch(/^HTTP\/1\.1 503/)
    expect(reply).toContain('"draining"')
    expect(reply.toLowerCase()).toContain('connection: close')

    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('shutdown.done')
  })
})

describe('/readyz follows the database', () => {
  let database: LocalDatabase
  let server: AppServer

  beforeAll(async () => {
    database = await startLocalDatabase({ fresh: true, dbName: 'tutortrack_readyz', ignoreEnvironment: true })
    server = await startAppServer({ DATABASE_URI: database.uri })
  })

  afterAll(async () => {
    await server.stop('SIGKILL')
    await database.stop()
  })

  it('is 503 while the database is down and /healthz stays 200', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    await database.stop()
    const down = await fetch(`${server.url}/readyz`)
    expect(down.status).toBe(503)
    expect(await down.json()).toEqual({ status: 'database_unavailable' })
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })
})
