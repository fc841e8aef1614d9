import { describe, expect, it, jest } from '@jest/globals'
import type { PayloadRequest } from 'payload'

import { studentBookingRefusal } from '../../../collections/Appointments/access'
import { durationMinutes, parseOrRefuse } from '../../../src/booking/requestSchemas'
import { bookingWriteOf, endBookingWrite, writeTutor } from '../../../src/booking/writeContext'
import type { Tutor } from '../../../src/payload-types'

const tutor = { id: 't1', name: 'Ada Lovelace' } as Tutor

describe('the booking write context', () => {
  it('survives Payload copying req.context for a nested Local API call', () => {
    const req = { context: {} } as PayloadRequest
    bookingWriteOf(req).tutor = tutor
    req.context = { ...req.context, nested: true } // what createLocalReq does
    expect(bookingWriteOf(req).tutor).toBe(tutor)
  })

  it('ends per write, so the next write on the same request starts afresh', () => {
    const req = { context: {} } as PayloadRequest
    bookingWriteOf(req).reserved = { holder: 'h', insertedIds: [], claimIds: [] }
    endBookingWrite(req)
    expect(bookingWriteOf(req)).toEqual({})
  })

  it('writeTutor reuses the tutor the rules loaded, and reads any other', async () => {
    const findOne = jest.fn(async () => ({ id: 't2', name: 'Marie Curie' }))
    const req = { context: {}, payload: { db: { findOne } } } as unknown as PayloadRequest
    bookingWriteOf(req).tutor = tutor
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
