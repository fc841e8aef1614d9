import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'

import {
  GRANULE_MS,
  claimGranules,
  studentClaimInterval,
  tutorBlockedInterval,
  tutorBookingsConflict,
} from '../../../src/scheduling/claims'
import { type Interval, MINUTE_MS, overlaps } from '../../../src/scheduling/intervals'
import { DEFAULT_BOOKING_POLICY, GRANULE_MINUTES } from '../../../src/scheduling/policy'

const base = Date.UTC(2026, 5, 15, 9, 0)
const policyWithBuffers = { ...DEFAULT_BOOKING_POLICY, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 }
const at = (minutesAfterBase: number): number => base + minutesAfterBase * MINUTE_MS

describe('claimGranules', () => {
  it('lists the start of every 5-minute granule in the interval', () => {
    expect(claimGranules({ start: at(0), end: at(20) })).toEqual([at(0), at(5), at(10), at(15)])
    expect(claimGranules({ start: at(0), end: at(0) })).toEqual([])
  })

  it('refuses bounds off the granule grid, which could hide an overlap', () => {
    expect(() => claimGranules({ start: at(0) + 1, end: at(20) })).toThrow(/multiples of 5 minutes/)
    expect(() => claimGranules({ start: at(0), end: at(22) })).toThrow(RangeError)
  })
})

describe('tutor and student claims', () => {
  it('claims the buffered interval for the tutor, so sessions end up two buffers apart', () => {
    const appointment = { start: at(60), end: at(120) }
    expect(tutorBlockedInterval(appointment, policyWithBuffers)).toEqual({ start: at(45), end: at(135) })
    // 11:00 ends the first session; with 15 + 15 minutes of buffers 11:30 is the earliest next start.
    expect(tutorBookingsConflict(appointment, { start: at(145), end: at(175) }, policyWithBuffers)).toBe(true)
    expect(tutorBookingsConflict(appointment, { start: at(150), end: at(180) }, policyWithBuffers)).toBe(false)
  })

  it('claims only the raw interval for the student', () => {
    expect(studentClaimInterval({ start: at(60), end: at(120) })).toEqual({ start: at(60), end: at(120) })
  })
})

describe('granule claims match the conflict rule exactly', () => {
  const granuleAligned = fc.integer({ min: -200, max: 200 }).map((granules) => base + granules * GRANULE_MS)
  const appointment = fc
    .tuple(granuleAligned, fc.integer({ min: 1, max: (8 * 60) / GRANULE_MINUTES }))
    .map(([start, granules]): Interval => ({ start, end: start + granules * GRANULE_MS }))
  const buffer = fc.integer({ min: 0, max: 12 }).map((granules) => granules * GRANULE_MINUTES)

  it('two tutor bookings share a claimed granule iff their blocked intervals overlap', () => {
    fc.assert(
      fc.property(appointment, appointment, buffer, buffer, (a, b, bufferBeforeMinutes, bufferAfterMinutes) => {
        const policy = { ...DEFAULT_BOOKING_POLICY, bufferBeforeMinutes, bufferAfterMinutes }
        const claimsOfA = new Set(claimGranules(tutorBlockedInterval(a, policy)))
        const shareGranule = claimGranules(tutorBlockedInterval(b, policy)).some((granule) => claimsOfA.has(granule))
        expect(shareGranule).toBe(overlaps(tutorBlockedInterval(a, policy), tutorBlockedInterval(b, policy)))
        expect(shareGranule).toBe(tutorBookingsConflict(a, b, policy))
      }),
      { numRuns: 500 },
    )
  })

  it('two student bookings share a claimed granule iff the sessions overlap', () => {
    fc.assert(
      fc.property(appointment, appointment, (a, b) => {
        const claimsOfA = new Set(claimGranules(studentClaimInterval(a)))
        expect(claimGranules(studentClaimInterval(b)).some((granule) => claimsOfA.has(granule))).toBe(overlaps(a, b))
      }),
      { numRuns: 500 },
    )
  })
})
