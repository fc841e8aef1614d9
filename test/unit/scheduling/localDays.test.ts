/** Local days and months for the booker's calendar (src/scheduling/localDays.ts), across DST changes. */
import { describe, expect, it } from '@jest/globals'

import { HOUR_MS } from '../../../src/scheduling/intervals'
import { freeCancellationUntil, localDayOf, monthRange, nearestInstants, noonOf, parseLocalDay, parseLocalMonth, shiftMonth, splitRange } from '../../../src/scheduling/localDays'

describe('local days', () => {
  it('names the day an instant falls on in a zone', () => {
    const instant = Date.parse('2027-03-27T16:00:00Z')
    expect(localDayOf(instant, 'Asia/Tokyo')).toBe('2027-03-28')
    expect(localDayOf(instant, 'America/Los_Angeles')).toBe('2027-03-27')
  })

  it('accepts only real dates and months', () => {
    expect(parseLocalDay('2027-02-28')).toBe('2027-02-28')
    expect(parseLocalDay('2027-02-30')).toBeNull()
    expect(parseLocalDay('27-02-2027')).toBeNull()
    expect(parseLocalDay(['2027-02-28'])).toBeNull()
    expect(parseLocalMonth('2027-13')).toBeNull()
    expect(parseLocalMonth('2027-03')).toBe('2027-03')
  })

  it('spans a month from local midnight to local midnight, one hour short in London’s spring-forward March', () => {
    const march = monthRange('2027-03', 'Europe/London')
    expect(new Date(march.start).toISOString()).toBe('2027-03-01T00:00:00.000Z')
    expect(new Date(march.end).toISOString()).toBe('2027-03-31T23:00:00.000Z')
    expect(march.end - march.start).toBe(31 * 24 * HOUR_MS - HOUR_MS)
    expect(monthRange('2027-10', 'Europe/London').end - monthRange('2027-10', 'Europe/London').start).toBe(31 * 24 * HOUR_MS + HOUR_MS)
  })

  it('moves months across years, and splits ranges into bounded pieces', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01')
    expect(shiftMonth('2027-01', -1)).toBe('2026-12')
    expect(splitRange(0, 10, 4)).toEqual([{ start: 0, end: 4 }, { start: 4, end: 8 }, { start: 8, end: 10 }])
  })

  it('finds noon of a local day on a DST day', () => {
    expect(new Date(noonOf('2027-03-28', 'Europe/London')).toISOString()).toBe('2027-03-28T11:00:00.000Z')
  })

  it('gives the free cancellation deadline and the nearest instants in time order', () => {
    expect(freeCancellationUntil(100 * HOUR_MS, { cancellationCutoffHours: 24 })).toBe(76 * HOUR_MS)
    expect(nearestInstants([1, 5, 9, 12, 20], 10, 3)).toEqual([5, 9, 12])
  })
})
