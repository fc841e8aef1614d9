import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import type { Cluster } from '../../scripts/cluster/startCluster'
import type { Appointment } from '../../src/payload-types'
import { testPayload } from '../helpers/api'
import { checkBookingIntegrity, counterDelta, startTestCluster, statsByName } from '../helpers/clusterProof'
import { createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'

/** 200 students book the same slot at once through the balancer, spread over three replicas: one wins. */
const STUDENTS = 200

let payload: Payload
let cluster: Cluster
let students: TestStudent[]

beforeAll(async () => {
  payload = await testPayload()
  // The balancer waits as long as the app takes: this proof is about who wins, and a 504 could hide the one 201.
  const starting = startTestCluster({ replicas: 3, retries: true, serverTimeoutMs: 150_000 })
  students = []
  for (let i = 0; i < STUDENTS; i += 20) {
    students.push(...(await Promise.all(Array.from({ length: Math.min(20, STUDENTS - i) }, (_, j) => createStudent(payload, { label: `race${i + j}` })))))
  }
  cluster = await starting
}, 300_000)

afterAll(async () => {
  await cluster?.stop()
}, 60_000)

describe('one slot, 200 concurrent bookings', () => {
  it('exactly one 201 and one appointment; the others are told the slot is taken', async () => {
    const tutor = await createTutor(payload, { name: `Race tutor ${Date.now().toString(36)}` })
    const start = futureUtc(120, 10)
    const before = await statsByName(cluster)
    const started = Date.now()
    const outcomes = await Promise.all(
      students.map(async (student) => {
        const response = await fetch(`${cluster.url}/api/appointments`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `JWT ${student.token}` },
          body: JSON.stringify({ tutor: tutor.id, start, duration: 60 }),
        })
        const json = (await response.json().catch(() => ({}))) as { errors?: { data?: { code?: string } }[] }
        return { status: response.status, code: json.errors?.[0]?.data?.code }
      }),
    )
    const elapsed = Date.now() - started
    const perReplica = counterDelta(before, await statsByName(cluster), 'stot')
    const statuses: Record<string, number> = {}
    for (const outcome of outcomes)
      statuses[`${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`] = (statuses[`${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`] ?? 0) + 1
    const active = (
      await payload.find({
        collection: 'appointments',
        where: { and: [{ tutor: { equals: tutor.id } }, { status: { equals: 'booked' } }] },
        depth: 0,
        overrideAccess: true,
      })
    ).docs as Appointment[]
    const integrity = await checkBookingIntegrity(payload, { tutorIds: [String(tutor.id)], studentIds: students.map((student) => student.id) })
    const created = outcomes.filter((outcome) => outcome.status === 201).length
    const conflicts = outcomes.filter((outcome) => outcome.status === 409 && outcome.code === 'SLOT_UNAVAILABLE').length
    const serverErrors = outcomes.filter((outcome) => outcome.status >= 500).length
    const balancerErrors = outcomes.filter((outcome) => outcome.status >= 502).length
    // What the replicas logged for the 5xx, if any (on FerretDB: SQLite "database is locked" under this write storm).
    const serverErrorCause = serverErrors
      ? (cluster.replicas
          .map((replica) => /(SQLITE_BUSY|database is locked|Mongo\w*Error)[^\n]{0,160}/.exec(cluster.replicaOutput(replica.name))?.[0])
          .find(Boolean) ?? 'not in the log tail')
      : ''
    console.log(
      `booking race: ${STUDENTS} concurrent POSTs in ${elapsed} ms → ${JSON.stringify(statuses)}; per replica ${JSON.stringify(perReplica)}; ` +
        `active appointments for the slot: ${active.length}; stray claims ${integrity.strayClaims.length}, missing claims ${integrity.missingClaims.length}` +
        (serverErrors ? `; ${serverErrors} answers were 5xx; replica log: ${serverErrorCause}` : ''),
    )
    expect(created).toBe(1)
    expect(active).toHaveLength(1)
    // Every loser is told the slot is taken: no second 201, no 5xx from the app or the balancer. (FerretDB on
    // SQLite files answers such a write storm with "database is locked"; the suite runs on MongoDB or on FerretDB
    // over PostgreSQL, see scripts/local-db.ts.)
    expect(conflicts).toBe(STUDENTS - 1)
    expect(serverErrors).toBe(0)
    expect(balancerErrors).toBe(0)
    for (const n of Object.values(perReplica)) expect(n).toBeGreaterThan(STUDENTS / 6)
    expect(integrity).toMatchObject({ incomplete: [], missingClaims: [], strayClaims: [], overlaps: [] })
  }, 240_000)
})
