import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload, Where } from 'payload'

import { claimStoreFor } from '../../src/booking/claimStore'
import { sweepOrphanClaims } from '../../src/booking/claimSweeper'
import type { Appointment, Tutor } from '../../src/payload-types'
import { testPayload } from '../helpers/api'
import { startAppServer, type AppServer } from '../helpers/appServer'
import { createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'

/**
 * Many students race for the same time through two app server processes on one database. The guard is
 * the unique index on claim documents, so exactly one request per conflict set may win.
 */
let payload: Payload
let servers: AppServer[]
let students: TestStudent[]

const STUDENTS = 60
/** The fixture's policy with a start offered every 5 minutes, so students may race at staggered starts. */
const FIVE_MINUTE_STARTS = { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 0, slotIntervalMinutes: 5 }

type Outcome = { status: number; code?: string }

async function bookVia(server: AppServer, student: TestStudent, body: Record<string, unknown>): Promise<Outcome> {
  const response = await fetch(`${server.url}/api/appointments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `JWT ${student.token}` },
    body: JSON.stringify(body),
  })
  const json = (await response.json()) as { errors?: { data?: { code?: string } }[] }
  return { status: response.status, code: json.errors?.[0]?.data?.code }
}

const tally = (outcomes: Outcome[]) => ({
  created: outcomes.filter((outcome) => outcome.status === 201).length,
  conflicts: outcomes.filter((outcome) => outcome.status === 409).length,
  other: outcomes.filter((outcome) => outcome.status !== 201 && outcome.status !== 409),
})

async function activeAppointments(where: Where): Promise<Appointment[]> {
  const found = await payload.find({ collection: 'appointments', where: { and: [{ status: { equals: 'booked' } }, where] }, pagination: false, depth: 0 })
  return found.docs as Appointment[]
}

function assertNoOverlaps(appointments: Appointment[]): void {
  const sorted = appointments.map((doc) => [Date.parse(doc.start), Date.parse(doc.end)]).sort((a, b) => a[0] - b[0])
  for (let i = 1; i < sorted.length; i++) expect(sorted[i][0]).toBeGreaterThanOrEqual(sorted[i - 1][1])
}

beforeAll(async () => {
  payload = await testPayload()
  servers = await Promise.all([startAppServer(), startAppServer()])
  students = []
  for (let i = 0; i < STUDENTS; i++) students.push(await createStudent(payload, { label: `racer${i}` }))
})

afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.stop()))
})

describe('concurrent booking across two app processes', () => {
  it(`${STUDENTS} students racing for one slot: exactly one 201, the rest 409`, async () => {
    const tutor = await createTutor(payload)
    const start = futureUtc(20, 10)
    const outcomes = await Promise.all(students.map((student, i) => bookVia(servers[i % 2], student, { tutor: tutor.id, start, duration: 60 })))
    const counts = tally(outcomes)
    console.log(`same slot: ${counts.created} created, ${counts.conflicts} conflicts, ${counts.other.length} other`)
    expect(counts).toEqual({ created: 1, conflicts: STUDENTS - 1, other: [] })
    expect(new Set(outcomes.filter((outcome) => outcome.status === 409).map((outcome) => outcome.code))).toEqual(new Set(['SLOT_UNAVAILABLE']))
    expect(await activeAppointments({ tutor: { equals: tutor.id } })).toHaveLength(1)
  })

  it('overlapping slots with different starts and lengths: one winner, no overlaps stored', async () => {
    const tutor = await createTutor(payload, { sessionLengths: [30, 60, 90], policy: FIVE_MINUTE_STARTS } as Partial<Tutor>)
    // Every request covers 12:00–12:30 on that day, so all of them conflict with each other.
    const lengths = [30, 60, 90]
    const outcomes = await Promise.all(
      students.map((student, i) => {
        const length = lengths[i % 3]
        const latestStartMinutes = 12 * 60
        const earliestStartMinutes = 12 * 60 + 30 - length
        const startMinutes = earliestStartMinutes + ((i * 5) % (latestStartMinutes - earliestStartMinutes + 5))
        return bookVia(servers[i % 2], student, {
          tutor: tutor.id,
          start: futureUtc(21, Math.floor(startMinutes / 60), startMinutes % 60),
          duration: length,
        })
      }),
    )
    const counts = tally(outcomes)
    console.log(`overlapping slots: ${counts.created} created, ${counts.conflicts} conflicts, ${counts.other.length} other`)
    expect(counts.other).toEqual([])
    expect(counts.created).toBe(1)
    assertNoOverlaps(await activeAppointments({ tutor: { equals: tutor.id } }))
  })

  it('one student racing across two tutors at overlapping times: one booking', async () => {
    const tutors = [await createTutor(payload, { policy: FIVE_MINUTE_STARTS } as Partial<Tutor>), await createTutor(payload, { policy: FIVE_MINUTE_STARTS } as Partial<Tutor>)]
    const student = students[0]
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        bookVia(servers[i % 2], student, { tutor: tutors[i % 2].id, start: futureUtc(22, 9, (i % 6) * 5), duration: 60 }),
      ),
    )
    const counts = tally(outcomes)
    console.log(`one student, two tutors: ${counts.created} created, ${counts.conflicts} conflicts, ${counts.other.length} other`)
    expect(counts.other).toEqual([])
    expect(counts.created).toBe(1)
    assertNoOverlaps(await activeAppointments({ student: { equals: student.id } }))
  })

  it('a cancel racing bookings of the freed slot ends consistent', async () => {
    const tutor = await createTutor(payload)
    const start = futureUtc(23, 15)
    const owner = students[1]
    const first = await bookVia(servers[0], owner, { tutor: tutor.id, start, duration: 60 })
    expect(first.status).toBe(201)
    const [booked] = await activeAppointments({ tutor: { equals: tutor.id } })
    const cancel = fetch(`${servers[1].url}/api/appointments/${booked.id}/cancel`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `JWT ${owner.token}` },
      body: JSON.stringify({ reason: 'race' }),
    })
    const racers = students.slice(2, 22).map((student, i) => bookVia(servers[i % 2], student, { tutor: tutor.id, start, duration: 60 }))
    const [cancelResponse, ...outcomes] = await Promise.all([cancel, ...racers])
    expect(cancelResponse.status).toBe(200)
    const counts = tally(outcomes)
    console.log(`cancel race: ${counts.created} rebooked, ${counts.conflicts} conflicts`)
    expect(counts.other).toEqual([])
    expect(counts.created).toBeLessThanOrEqual(1)
    const active = await activeAppointments({ tutor: { equals: tutor.id } })
    expect(active).toHaveLength(counts.created)
    // Whatever happened, the slot is bookable once it is free: if nobody won the race, one more try succeeds.
    if (counts.created === 0) expect((await bookVia(servers[0], students[30], { tutor: tutor.id, start, duration: 60 })).status).toBe(201)
  })

  it('a request that died after claiming blocks the slot no longer than the orphan bound', async () => {
    const tutor = await createTutor(payload)
    const start = Date.parse(futureUtc(24, 11))
    const store = await claimStoreFor(payload)
    // Exactly what a process killed between claiming and saving leaves behind: claims, no appointment.
    const claimed = await store.claim({
      holder: 'crashed-request',
      tutorId: String(tutor.id),
      studentId: students[40].id,
      tutorInterval: { start, end: start + 3_600_000 },
      studentInterval: { start, end: start + 3_600_000 },
    })
    expect(claimed.ok).toBe(true)
    const blocked = await bookVia(servers[0], students[41], { tutor: tutor.id, start: new Date(start).toISOString(), duration: 60 })
    expect(blocked.status).toBe(409)

    // Other test files may have left orphans of their own (appointments cancelled behind the hooks' back), so
    // only this request's claims are counted.
    const held = async () => (await store.claimIdsOf('crashed-request')).length
    await sweepOrphanClaims(payload, { boundMs: 60_000 })
    expect(await held()).toBe(24)
    await sweepOrphanClaims(payload, { boundMs: 60_000, now: Date.now() + 61_000 })
    expect(await held()).toBe(0)
    const after = await bookVia(servers[1], students[41], { tutor: tutor.id, start: new Date(start).toISOString(), duration: 60 })
    expect(after.status).toBe(201)
  })

  it('a cancellation saved by a process that died before releasing its time frees the slot at the next sweep', async () => {
    const tutor = await createTutor(payload)
    const start = Date.parse(futureUtc(24, 14))
    const body = { tutor: tutor.id, start: new Date(start).toISOString(), duration: 60 }
    expect((await bookVia(servers[0], students[42], body)).status).toBe(201)
    const [booked] = await activeAppointments({ tutor: { equals: tutor.id } })
    const store = await claimStoreFor(payload)
    const claimsBefore = (await store.claimIdsOf(booked.bookingKey!)).length
    expect(claimsBefore).toBeGreaterThan(0)

    // What the hooks do before the save (markTimeToRelease), then the save itself without the release after it.
    await store.markPendingRelease(booked.bookingKey!)
    await payload.db.updateOne({ collection: 'appointments', id: booked.id, data: { status: 'cancelled' } })
    expect((await bookVia(servers[1], students[43], body)).status).toBe(409)

    // The booking's claims are long past the sweep window; the marker brings its holder back into view.
    await sweepOrphanClaims(payload, { boundMs: 60_000, now: Date.now() + 61_000 })
    expect(await store.claimIdsOf(booked.bookingKey!)).toHaveLength(0)
    expect((await bookVia(servers[1], students[43], body)).status).toBe(201)
  })
})
