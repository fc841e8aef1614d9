/** Local days and months for the booker's calendar (src/scheduling/localDays.ts), across DST changes. */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'

import { HOUR_MS } from '../../../src/scheduling/intervals'
import { freeCancellationUntil, groupByLocalDay, localDayOf, monthRange, nearestInstants, noonOf, parseLocalDay, parseLocalMonth, shiftMonth, splitRange } from '../../../src/scheduling/localDays'

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

describe('groupByLocalDay', () => {
  /** The plain definition: one zone lookup per instant. */
  const naive = (instants: number[], zone: string) => {
    const days = new Map<string, number[]>()
    for (const instant of instants) days.set(localDayOf(instant, zone), [...(days.get(localDayOf(instant, zone)) ?? []), instant])
    return days
  }

  it('puts each half-hour of a month on the local day it falls on, across DST changes and odd offsets', () => {
    // Days of 23 and 25 hours (Europe/London, America/Santiago at midnight), a 30-minute shift (Australia/Lord_Howe),
    // a +13:45 zone (Pacific/Chatham).
    for (const zone of ['Europe/London', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'UTC']) {
      for (const month of ['2027-03-15', '2027-04-01', '2027-09-20', '2027-10-25']) {
        const start = Date.parse(`${month}T00:00:00Z`) - 3 * 24 * HOUR_MS
        const halfHours = Array.from({ length: 14 * 48 }, (_, i) => start + i * HOUR_MS / 2)
        expect([...groupByLocalDay(halfHours, zone)]).toEqual([...naive(halfHours, zone)])
      }
    }
  })

  it('agrees with the plain definition for any instants, sorted or not', () => {
    const zones = fc.constantFrom('Europe/London', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns')
    const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') })
    fc.assert(
      fc.property(fc.array(instant, { maxLength: 60 }), zones, fc.boolean(), (instants, zone, sorted) => {
        const input = sorted ? [...instants].sort((a, b) => a - b) : instants
        const grouped = groupByLocalDay(input, zone)
        const expected = naive(input, zone)
        expect(new Map([...grouped].map(([day, list]) => [day, [...list].sort((a, b) => a - b)]))).toEqual(
          new Map([...expected].map(([day, list]) => [day, [...list].sort((a, b) => a - b)])),
        )
      }),
    )
  })
})
