import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { CLAIMS_COLLECTION } from '../../src/booking/claimStore'
import { flushEmailKicks } from '../../src/email/kicks'
import type { Appointment } from '../../src/payload-types'
import { mongoDb } from '../../src/storage/db'
import { api, testPayload } from '../helpers/api'
import { checkBookingIntegrity } from '../helpers/clusterProof'
import { createStaff, createStudent, createTutor, futureUtc } from '../helpers/fixtures'

/**
 * A staff bulk PATCH runs its documents' writes in parallel on one request (Payload's update operation). Each
 * write's claimed time, tutor and mail must stay its own (src/booking/writeContext.ts keys them by document):
 * a write that used another's reserved time would free its own new claims after the save.
 */
let payload: Payload
let adminToken: string

beforeAll(async () => {
  payload = await testPayload()
  adminToken = (await createStaff(payload, 'admin')).token
})

/** Claims held by none of these appointments' bookings (checked before any sweep could tidy them). */
async function strayClaims(tutorIds: string[], studentIds: string[]): Promise<number> {
  const booked = await payload.find({ collection: 'appointments', where: { tutor: { in: tutorIds }, status: { equals: 'booked' } }, pagination: false, depth: 0, overrideAccess: true })
  const holders = (booked.docs as Appointment[]).map((doc) => doc.bookingKey)
  return mongoDb(payload)
    .collection(CLAIMS_COLLECTION)
    .countDocuments({ partyId: { $in: [...tutorIds, ...studentIds] }, holder: { $nin: holders } })
}

describe('staff bulk PATCH of appointments', () => {
  it('moves four sessions of four tutors at once: each keeps exactly the claims of its new time', async () => {
    const tutors = await Promise.all([0, 1, 2, 3].map(() => createTutor(payload)))
    const students = await Promise.all([0, 1, 2, 3].map((i) => createStudent(payload, { label: `bulk${i}` })))
    const ids: string[] = []
    for (const [i, tutor] of tutors.entries()) {
      const start = futureUtc(40, 8 + i)
      const doc = await payload.create({ collection: 'appointments', data: { tutor: tutor.id, student: students[i].id, start, end: new Date(Date.parse(start) + 3_600_000).toISOString(), status: 'booked' } as Appointment })
      ids.push(String(doc.id))
    }
    const start = futureUtc(41, 14)
    const query = ids.map((id, i) => `where[id][in][${i}]=${id}`).join('&')
    const moved = await api('PATCH', `/api/appointments?${query}`, { token: adminToken, body: { start, end: new Date(Date.parse(start) + 3_600_000).toISOString() } })
    expect({ status: moved.status, errors: moved.body.errors }).toEqual({ status: 200, errors: [] })
    expect(moved.body.docs).toHaveLength(4)
    await flushEmailKicks()

    const tutorIds = tutors.map((tutor) => String(tutor.id))
    const studentIds = students.map((student) => student.id)
    expect(await strayClaims(tutorIds, studentIds)).toBe(0)
    const report = await checkBookingIntegrity(payload, { tutorIds, studentIds })
    expect(report).toMatchObject({ active: 4, incomplete: [], missingClaims: [], strayClaims: [], overlaps: [] })
  })

  it('moves four sessions of one tutor onto one time: one wins, three are refused and leave nothing behind', async () => {
    const tutor = await createTutor(payload)
    const students = await Promise.all([0, 1, 2, 3].map((i) => createStudent(payload, { label: `bulkclash${i}` })))
    const ids: string[] = []
    for (const [i, student] of students.entries()) {
      const start = futureUtc(42, 8 + i)
      const doc = await payload.create({ collection: 'appointments', data: { tutor: tutor.id, student: student.id, start, end: new Date(Date.parse(start) + 3_600_000).toISOString(), status: 'booked' } as Appointment })
      ids.push(String(doc.id))
    }
    const start = futureUtc(43, 14)
    const query = ids.map((id, i) => `where[id][in][${i}]=${id}`).join('&')
    const moved = await api('PATCH', `/api/appointments?${query}`, { token: adminToken, body: { start, end: new Date(Date.parse(start) + 3_600_000).toISOString() } })
    expect(moved.body.docs).toHaveLength(1)
    expect(moved.body.errors).toHaveLength(3)
    await flushEmailKicks()

    const studentIds = students.map((student) => student.id)
    expect(await strayClaims([String(tutor.id)], studentIds)).toBe(0)
    const report = await checkBookingIntegrity(payload, { tutorIds: [String(tutor.id)], studentIds })
    expect(report).toMatchObject({ active: 4, incomplete: [], missingClaims: [], strayClaims: [], overlaps: [] })
  })
})
