import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, graphql, testPayload, uniqueEmail } from '../helpers/api'
import { createStaff, createStudent, createTutor, futureUtc, TEST_PASSWORD } from '../helpers/fixtures'

let payload: Payload
let adminToken: string

beforeAll(async () => {
  payload = await testPayload()
  adminToken = (await createStaff(payload, 'admin')).token
})

const fieldErrors = (body: any): { path: string; message: string }[] => body?.errors?.[0]?.data?.errors ?? []

describe('validation answers 400 with a message per field', () => {
  it('refuses a time zone that is not an IANA name, and keeps the one given', async () => {
    const bad = await api('POST', '/api/students', {
      body: { email: uniqueEmail('tz'), password: TEST_PASSWORD, fullName: 'Zed', timeZone: 'Mars/Olympus_Mons' },
    })
    expect(bad.status).toBe(400)
    expect(fieldErrors(bad.body)).toEqual([expect.objectContaining({ path: 'timeZone', message: expect.stringContaining('IANA') })])

    // Asia/Kolkata and Europe/Kyiv are missing from Node 20's Intl.supportedValuesOf list, yet valid.
    for (const timeZone of ['Asia/Kolkata', 'Europe/Kyiv']) {
      const email = uniqueEmail('tz')
      const good = await api('POST', '/api/students', { body: { email, password: TEST_PASSWORD, fullName: 'Zed', timeZone } })
      expect(good.status).toBe(201)
      const [stored] = (await payload.find({ collection: 'students', where: { email: { equals: email } } })).docs
      expect(stored.timeZone).toBe(timeZone)
    }
  })

  it('reads every JSON endpoint through one reader: the same reasons for the booking and the sign-in routes', async () => {
    const student = await createStudent(payload)
    const send = (path: string, contentType: string, rawBody: string) => api('POST', path, { token: student.token, headers: { 'Content-Type': contentType }, rawBody })
    for (const path of ['/api/appointments', '/api/students/forgot-password']) {
      expect((await send(path, 'text/plain', '{}')).body.errors[0]).toMatchObject({ message: 'Send a JSON body with "Content-Type: application/json".', data: { code: 'INVALID_REQUEST' } })
      expect((await send(path, 'application/json', '{"tutor":')).body.errors[0].message).toBe('The request body is not valid JSON.')
      expect((await send(path, 'application/json', '[1]')).body.errors[0].message).toBe('The request body must be a JSON object.')
    }
    // A JSON-based media type (RFC 6839 +json suffix) is JSON: the booking rules answer, not the reader.
    const suffixed = await send('/api/appointments', 'application/merge-patch+json', JSON.stringify({ tutor: '0123456789abcdef01234567', start: futureUtc(41, 11), duration: 60 }))
    expect(suffixed.body.errors[0].data.code).toBe('TUTOR_NOT_FOUND')
  })

  it('refuses a malformed email', async () => {
    const bad = await api('POST', '/api/students', { body: { email: 'not-an-email', password: TEST_PASSWORD, fullName: 'Zed', timeZone: 'UTC' } })
    expect(bad.status).toBe(400)
    expect(fieldErrors(bad.body).map((error) => error.path)).toContain('email')
  })

  it('refuses an appointment that ends before it starts', async () => {
    const tutor = await createTutor(payload)
    const student = await createStudent(payload)
    const start = futureUtc(40, 10)
    const bad = await api('POST', '/api/appointments', {
      token: adminToken,
      body: { tutor: tutor.id, student: student.id, start, end: futureUtc(40, 9) },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].data.field ?? fieldErrors(bad.body)[0]?.path).toBe('end')
    expect(bad.body.errors[0].message).toMatch(/after start/i)
  })

  it('refuses an unknown tutor', async () => {
    const student = await createStudent(payload)
    const missingTutor = '0123456789abcdef01234567'
    const byStudent = await api('POST', '/api/appointments', { token: student.token, body: { tutor: missingTutor, start: futureUtc(41, 10), duration: 60 } })
    expect(byStudent.status).toBe(400)
    expect(byStudent.body.errors[0].data).toEqual({ code: 'TUTOR_NOT_FOUND', field: 'tutor' })
    const byAdmin = await api('POST', '/api/appointments', {
      token: adminToken,
      body: { tutor: missingTutor, student: student.id, start: futureUtc(41, 10), end: futureUtc(41, 11) },
    })
    expect(byAdmin.status).toBe(400)
  })

  it('refuses tutor availability that is not HH:mm, ends before it starts, or leaves the 5-minute grid', async () => {
    const bad = await api('POST', '/api/tutors', {
      token: adminToken,
      body: {
        name: 'Grid Tutor',
        contactEmail: uniqueEmail('grid'),
        timeZone: 'UTC',
        subjects: ['music'],
        sessionLengths: [45, 17],
        weeklyAvailability: [{ day: 'mon', start: '9am', end: '08:00' }],
      },
    })
    expect(bad.status).toBe(400)
    const paths = fieldErrors(bad.body).map((error) => error.path)
    expect(paths).toEqual(expect.arrayContaining(['weeklyAvailability.0.start', 'sessionLengths']))
  })
})

describe('GraphQL', () => {
  it('lists active tutors and hides inactive ones from the public', async () => {
    const active = await createTutor(payload, { name: 'Graph Active' })
    const inactive = await createTutor(payload, { name: 'Graph Inactive', active: false })
    const result = await graphql(`{ Tutors(limit: 1000) { docs { id name active subjects timeZone } } }`)
    expect(result.status).toBe(200)
    const ids = result.body.data.Tutors.docs.map((doc: { id: string }) => doc.id)
    expect(ids).toContain(active.id)
    expect(ids).not.toContain(inactive.id)
  })
})
