import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Db } from 'mongodb'
import type { Payload } from 'payload'

import { api, testPayload } from '../helpers/api'
import { createStudent, createTutor, futureUtc, type TestStudent } from '../helpers/fixtures'
import type { Tutor } from '../../src/payload-types'
import { CalendarCache, databaseCalendarSources } from '../../src/readModels/calendars'
import { ChangeLog, CHANGE_LOG_COLLECTION } from '../../src/storage/changeLog'
import { mongoDb } from '../../src/storage/db'
import { StampedCache } from '../../src/storage/stampedCache'

/**
 * The calendar cache follows changes by the change log, not by reloading (docs/cache.md). "Another replica" is a
 * second CalendarCache over the same database: replicas share nothing but the database, and so do these two.
 */
let payload: Payload
let db: Db
let tutor: Tutor
let student: TestStudent

beforeAll(async () => {
  payload = await testPayload()
  db = mongoDb(payload)
  tutor = await createTutor(payload, { name: 'Delta Tutor', timeZone: 'UTC' })
  student = await createStudent(payload, { label: 'delta' })
})

const otherReplica = () => new CalendarCache(new ChangeLog(db), databaseCalendarSources(payload, db))
const book = (start: string) => api('POST', '/api/appointments', { token: student.token, body: { tutor: tutor.id, start, duration: 60 } })
const startsOf = (intervals: readonly { start: number }[]) => intervals.map((interval) => new Date(interval.start).toISOString()).sort()

describe('calendar cache deltas', () => {
  it('a booking, a move and a cancel on one server reach another server’s cache without reloading the calendar', async () => {
    const replica = otherReplica()
    const first = await book(futureUtc(40, 9))
    expect(first.status).toBe(201)
    expect(startsOf(await replica.bookedIntervals('tutor', String(tutor.id)))).toEqual([futureUtc(40, 9)])
    expect(replica.stats.fullLoads).toBe(1)

    const second = await book(futureUtc(40, 12))
    expect(second.status).toBe(201)
    expect(startsOf(await replica.bookedIntervals('tutor', String(tutor.id)))).toEqual([futureUtc(40, 9), futureUtc(40, 12)])
    expect(startsOf(await replica.bookedIntervals('student', student.id))).toEqual([futureUtc(40, 9), futureUtc(40, 12)])

    const moved = await api('POST', `/api/appointments/${second.body.doc.id}/reschedule`, { token: student.token, body: { start: futureUtc(40, 15) } })
    expect(moved.status).toBe(200)
    expect(startsOf(await replica.bookedIntervals('tutor', String(tutor.id)))).toEqual([futureUtc(40, 9), futureUtc(40, 15)])

    const cancelled = await api('POST', `/api/appointments/${first.body.doc.id}/cancel`, { token: student.token, body: { reason: 'cache test' } })
    expect(cancelled.status).toBe(200)
    expect(startsOf(await replica.bookedIntervals('tutor', String(tutor.id)))).toEqual([futureUtc(40, 15)])

    // One whole-calendar load per party; everything after came as deltas of the changed appointments.
    expect(replica.stats.fullLoads).toBe(2)
    expect(replica.stats.deltas).toBeGreaterThanOrEqual(3)

    // And the slot search served by the writing server agrees.
    const search = await api('GET', `/api/tutors/${tutor.id}/availability?from=${futureUtc(40, 8)}&to=${futureUtc(40, 18)}&duration=60`)
    const offered: string[] = search.body.slots.map((slot: { start: string }) => slot.start)
    expect(offered).toContain(futureUtc(40, 9))
    expect(offered).not.toContain(futureUtc(40, 15))
    expect(offered).toContain(futureUtc(40, 12))
  })

  it('concurrent misses of one calendar share one load', async () => {
    const replica = otherReplica()
    const results = await Promise.all(Array.from({ length: 20 }, () => replica.bookedIntervals('tutor', String(tutor.id))))
    expect(replica.stats.fullLoads).toBe(1)
    expect(new Set(results).size).toBe(1)
  })

  it('concurrent misses of one stamped entry share one load', async () => {
    let loads = 0
    const cache = new StampedCache(db, async (key) => {
      loads++
      return key.length
    })
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get(`singleflight:${tutor.id}`)))
    expect(loads).toBe(1)
    expect(cache.loads).toBe(1)
    expect(new Set(results).size).toBe(1)
  })

  it('writers on several replicas number one key’s entries without gaps or duplicates, and a reader gets every change', async () => {
    const key = `test:${Date.now()}`
    const logs = [new ChangeLog(db), new ChangeLog(db), new ChangeLog(db)]
    const refs = Array.from({ length: 45 }, (_, i) => `ref${i}`)
    const numbers = await Promise.all(refs.map((ref, i) => logs[i % logs.length].append(key, [ref])))
    const entries = await db.collection(CHANGE_LOG_COLLECTION).find({ key }).toArray()
    const stored = entries.map((entry) => entry.n as number).sort((a, b) => a - b)
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1))
    expect(new Set(numbers)).toEqual(new Set(stored))
    expect(entries.flatMap((entry) => entry.refs as string[]).sort()).toEqual([...refs].sort())

    const reader = new ChangeLog(db)
    const changes = await reader.changesAfter(key, 0)
    expect(changes).toEqual({ n: stored.length, refs: expect.arrayContaining(refs) })
    expect(await reader.head(key)).toBe(stored.length)
    expect(await reader.changesAfter(key, stored.length)).toEqual({ n: stored.length, refs: [] })
  })

  it('reloads the whole calendar when the log cannot say what changed', async () => {
    const replica = otherReplica()
    await replica.bookedIntervals('tutor', String(tutor.id))
    const key = `tutor:${tutor.id}`
    const head = await replica.log.head(key)
    const writer = new ChangeLog(db)
    await writer.append(key, ['000000000000000000000001'])
    await writer.append(key, ['000000000000000000000002'])
    await writer.append(key, ['000000000000000000000003'])
    // An entry in the middle is gone (as if swept): the reader cannot trust the rest.
    await db.collection(CHANGE_LOG_COLLECTION).deleteOne({ _id: `${key}:${head + 2}` } as never)
    const before = replica.stats.fullLoads
    expect(startsOf(await replica.bookedIntervals('tutor', String(tutor.id)))).toEqual([futureUtc(40, 15)])
    expect(replica.stats.fullLoads).toBe(before + 1)
  })
})
