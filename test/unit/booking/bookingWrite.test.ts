import { describe, expect, it, jest } from '@jest/globals'
import type { PayloadRequest } from 'payload'

import { studentBookingRefusal } from '../../../collections/Appointments/access'
import { durationMinutes, parseOrRefuse } from '../../../src/booking/requestSchemas'
import { bookingWriteOf, endBookingWrite, takeUnfinishedWrites, writeKey, writeTutor } from '../../../src/booking/writeContext'
import type { Tutor } from '../../../src/payload-types'

const tutor = { id: 't1', name: 'Ada Lovelace' } as Tutor

describe('the booking write context', () => {
  it('survives Payload copying req.context for a nested Local API call', () => {
    const req = { context: {} } as PayloadRequest
    bookingWriteOf(req, 'create').tutor = tutor
    req.context = { ...req.context, nested: true } // what createLocalReq does
    expect(bookingWriteOf(req, 'create').tutor).toBe(tutor)
  })

  it('keeps one context per document: a bulk PATCH runs its writes in parallel on one request', () => {
    const req = { context: {} } as PayloadRequest
    const first = { holder: 'a', insertedIds: ['a1'], claimIds: ['a1'] }
    bookingWriteOf(req, writeKey('update', { id: 'a' })).reserved = first
    bookingWriteOf(req, writeKey('update', { id: 'b' })).reserved = { holder: 'b', insertedIds: [], claimIds: [] }
    endBookingWrite(req, 'b')
    expect(bookingWriteOf(req, 'a').reserved).toBe(first)
    expect(bookingWriteOf(req, 'b')).toEqual({})
  })

  it('hands over the writes that never ended (they failed), once', () => {
    const req = { context: {} } as PayloadRequest
    bookingWriteOf(req, 'a').reserved = { holder: 'a', insertedIds: ['a1'], claimIds: ['a1'] }
    bookingWriteOf(req, 'b')
    endBookingWrite(req, 'b')
    expect(takeUnfinishedWrites(req).map((write) => write.reserved?.holder)).toEqual(['a'])
    expect(takeUnfinishedWrites(req)).toEqual([])
  })

  it('names a create "create" and an update by its document', () => {
    expect(writeKey('create', undefined)).toBe('create')
    expect(writeKey('update', { id: 42 })).toBe('42')
  })

  it('writeTutor reuses the tutor the rules loaded, and reads any other', async () => {
    const findOne = jest.fn(async () => ({ id: 't2', name: 'Marie Curie' }))
    const req = { context: {}, payload: { db: { findOne } } } as unknown as PayloadRequest
    bookingWriteOf(req, 'create').tutor = tutor
    expect(await writeTutor(req, { id: 't1' })).toBe(tutor)
    expect(findOne).not.toHaveBeenCalled()
    expect((await writeTutor(req, 't2'))?.name).toBe('Marie Curie')
    expect(findOne).toHaveBeenCalledTimes(1)
  })
})

describe('studentBookingRefusal', () => {
  const as = (user: Record<string, unknown> | null) => ({ user }) as unknown as PayloadRequest

  it('lets a verified student book', () => {
    expect(studentBookingRefusal(as({ collection: 'students', id: 's1', _verified: true }))).toBeNull()
  })

  it('refuses anonymous callers, staff and unverified students, with their codes', () => {
    expect(studentBookingRefusal(as(null))?.code).toBe('UNAUTHENTICATED')
    expect(studentBookingRefusal(as({ collection: 'users', id: 'u1', role: 'admin' }))?.code).toBe('FORBIDDEN')
    expect(studentBookingRefusal(as({ collection: 'students', id: 's1', _verified: false }))?.code).toBe('EMAIL_NOT_VERIFIED')
  })
})

describe('durationMinutes', () => {
  it('keeps the wording of the eight-hour limit', () => {
    expect(() => parseOrRefuse(durationMinutes, 481)).toThrow('must be at most 480 minutes')
    expect(() => parseOrRefuse(durationMinutes, 4)).toThrow('must be at least 5 minutes')
    expect(parseOrRefuse(durationMinutes, '60')).toBe(60)
  })
})
