import { describe, expect, it } from '@jest/globals'

import { DEFAULT_BOOKING_POLICY, GRANULE_MINUTES, bookingPolicyProblems, resolveBookingPolicy } from '../../../src/scheduling/policy'

describe('resolveBookingPolicy', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(resolveBookingPolicy({})).toEqual({
      slotIntervalMinutes: 30,
      minimumNoticeMinutes: 720,
      bookingHorizonDays: 60,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      cancellationCutoffHours: 24,
    })
    expect(resolveBookingPolicy()).toEqual(DEFAULT_BOOKING_POLICY)
  })

  it('falls back to the default for null and undefined, as an emptied form field stores them', () => {
    expect(
      resolveBookingPolicy({ slotIntervalMinutes: null, bookingHorizonDays: undefined, bufferAfterMinutes: 10, minimumNoticeHours: null }),
    ).toEqual({ ...DEFAULT_BOOKING_POLICY, bufferAfterMinutes: 10 })
  })

  it('maps the stored minimumNoticeHours to minutes', () => {
    expect(resolveBookingPolicy({ minimumNoticeHours: 2 }).minimumNoticeMinutes).toBe(120)
    expect(resolveBookingPolicy({ minimumNoticeHours: 0 }).minimumNoticeMinutes).toBe(0)
    expect(resolveBookingPolicy({ minimumNoticeHours: 1.5 }).minimumNoticeMinutes).toBe(90)
  })

  it('prefers minimumNoticeMinutes over minimumNoticeHours when both are given', () => {
    expect(resolveBookingPolicy({ minimumNoticeHours: 2, minimumNoticeMinutes: 45 }).minimumNoticeMinutes).toBe(45)
  })

  it('keeps zero rather than treating it as unset', () => {
    expect(resolveBookingPolicy({ cancellationCutoffHours: 0 }).cancellationCutoffHours).toBe(0)
  })

  it(`refuses slot intervals and buffers that are not multiples of ${GRANULE_MINUTES} minutes`, () => {
    expect(() => resolveBookingPolicy({ slotIntervalMinutes: 7 })).toThrow(/Start times every 7 minutes/)
    expect(() => resolveBookingPolicy({ bufferBeforeMinutes: 12 })).toThrow(/Buffer before of 12 minutes/)
    expect(() => resolveBookingPolicy({ bufferAfterMinutes: -5 })).toThrow(RangeError)
  })

  it('lists every problem at once so a form can show them together', () => {
    expect(
      bookingPolicyProblems({ ...DEFAULT_BOOKING_POLICY, slotIntervalMinutes: 0, bookingHorizonDays: 0, minimumNoticeMinutes: Number.NaN }),
    ).toHaveLength(3)
    expect(bookingPolicyProblems(DEFAULT_BOOKING_POLICY)).toEqual([])
  })
})
