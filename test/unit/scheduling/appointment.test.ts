import { describe, expect, it } from '@jest/globals'

import {
  APPOINTMENT_STATUSES,
  appointmentSnapshot,
  BOOKED,
  changedFields,
  isActiveStatus,
  isBooked,
  MAX_SESSION_MINUTES,
  MAX_SESSION_MS,
  refOf,
  sessionEnd,
  sessionMinutes,
} from '../../../src/scheduling/appointment'

describe('appointment status', () => {
  it('isBooked is strict: only a stored "booked" counts', () => {
    expect(isBooked(BOOKED)).toBe(true)
    expect(isBooked(undefined)).toBe(false)
    expect(isBooked(null)).toBe(false)
    expect(isBooked('cancelled')).toBe(false)
  })

  it('isActiveStatus counts a missing status as booked (the default), nothing else', () => {
    expect(isActiveStatus(undefined)).toBe(true)
    expect(isActiveStatus(null)).toBe(true)
    expect(isActiveStatus('booked')).toBe(true)
    for (const status of ['cancelled', 'completed', 'no_show', '']) expect(isActiveStatus(status)).toBe(false)
  })

  it('BOOKED is one of the collection statuses', () => {
    expect(APPOINTMENT_STATUSES.map((option) => option.value)).toContain(BOOKED)
  })
})

describe('session length', () => {
  it('sessionEnd adds whole minutes; sessionMinutes is its inverse', () => {
    const start = Date.UTC(2026, 11, 1, 15, 0)
    expect(sessionEnd(start, 90)).toBe(Date.UTC(2026, 11, 1, 16, 30))
    expect(sessionMinutes(start, sessionEnd(start, 45))).toBe(45)
    expect(sessionMinutes('2026-12-01T15:00:00Z', '2026-12-01T16:00:00.000Z')).toBe(60)
  })

  it('the limit is eight hours, in minutes and in ms', () => {
    expect(MAX_SESSION_MINUTES).toBe(480)
    expect(MAX_SESSION_MS).toBe(8 * 60 * 60 * 1000)
  })
})

describe('refOf', () => {
  it('reads the id of a populated or unpopulated relationship', () => {
    expect(refOf('abc')).toBe('abc')
    expect(refOf({ id: 'abc', name: 'Ada' })).toBe('abc')
    expect(refOf(42)).toBe('42')
  })

  it('has no id for null, undefined or empty text', () => {
    expect(refOf(null)).toBeUndefined()
    expect(refOf(undefined)).toBeUndefined()
    expect(refOf('')).toBeUndefined()
  })
})

describe('changedFields', () => {
  const fields = ['tutor', 'student', 'start', 'end', 'status'] as const
  const before = { tutor: 't1', student: 's1', start: '2026-12-01T15:00:00.000Z', end: '2026-12-01T16:00:00.000Z', status: 'booked' }

  it('finds nothing when only the spelling differs: populated ids, offsets, null vs missing', () => {
    const after = { tutor: { id: 't1' }, student: 's1', start: '2026-12-01T16:00:00+01:00', end: '2026-12-01T16:00:00Z', status: 'booked' }
    expect(changedFields(before, after, fields)).toEqual([])
    expect(changedFields({ meetingLocation: null }, {}, ['meetingLocation'])).toEqual([])
  })

  it('names each field that really changed, in the order asked', () => {
    const after = { ...before, tutor: { id: 't2' }, end: '2026-12-01T16:30:00Z', status: 'cancelled' }
    expect(changedFields(before, after, fields)).toEqual(['tutor', 'end', 'status'])
  })

  it('compares only the fields asked about, and treats a missing version as empty', () => {
    expect(changedFields(before, { ...before, status: 'cancelled' }, ['start'])).toEqual([])
    expect(changedFields(undefined, before, ['tutor', 'status'])).toEqual(['tutor', 'status'])
  })

  it('compares groups by value', () => {
    const group = { by: 'student', at: '2026-12-01T10:00:00.000Z', reason: 'ill' }
    expect(changedFields({ cancellation: group }, { cancellation: { ...group } }, ['cancellation'])).toEqual([])
    expect(changedFields({ cancellation: group }, { cancellation: { ...group, reason: 'away' } }, ['cancellation'])).toEqual(['cancellation'])
  })
})

describe('appointmentSnapshot', () => {
  it('normalises ids and instants, and fills what is missing', () => {
    expect(appointmentSnapshot({ tutor: { id: 't1' }, student: 's1', start: '2026-12-01T16:00:00+01:00' })).toEqual({
      status: null,
      start: '2026-12-01T15:00:00.000Z',
      end: '',
      tutor: 't1',
      student: 's1',
      meetingLocation: null,
    })
  })
})
