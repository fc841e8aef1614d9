/**
 * Slot labels and message times come from a cached Intl.DateTimeFormat per zone (src/scheduling/format.ts).
 * The oracle is Luxon, formatting the same instants independently, in zones with every kind of DST change.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { DateTime } from 'luxon'

import { formatLocalDate, formatLocalDateTime, formatLocalRange, formatLocalTime } from '../../../src/scheduling/format'
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../src/scheduling/intervals'

const ZONES = ['UTC', 'America/New_York', 'America/Santiago', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'] as const

const luxon = (instant: number, zone: string) => DateTime.fromMillis(instant, { zone, locale: 'en-GB' })
const luxonDate = (instant: number, zone: string) => luxon(instant, zone).toFormat('ccc d LLL yyyy')
const luxonTime = (instant: number, zone: string) => luxon(instant, zone).toFormat('HH:mm')

const instants = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) }).map((ms) => Math.floor(ms / MINUTE_MS) * MINUTE_MS)

describe('local time formatting', () => {
  it('matches Luxon for dates and times in every zone', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), (instant, zone) => {
        expect(formatLocalDate(instant, zone)).toBe(luxonDate(instant, zone))
        expect(formatLocalTime(instant, zone)).toBe(luxonTime(instant, zone))
        expect(formatLocalDateTime(instant, zone)).toBe(`${luxonDate(instant, zone)} ${luxonTime(instant, zone)} (${zone})`)
      }),
      { numRuns: 2_000 },
    )
  })

  it('labels a range with one date when it stays on one local day, both dates when it crosses midnight', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 1, max: 16 * 4 }), fc.constantFrom(...ZONES), (start, quarters, zone) => {
        const end = start + quarters * 15 * MINUTE_MS
        const label = formatLocalRange(start, end, zone)
        const sameDay = luxon(start, zone).hasSame(luxon(end, zone), 'day')
        const endsAtNextMidnight = luxon(end, zone).equals(luxon(start, zone).plus({ days: 1 }).startOf('day'))
        if (sameDay) expect(label).toBe(`${luxonDate(start, zone)} ${luxonTime(start, zone)}–${luxonTime(end, zone)} (${zone})`)
        else if (endsAtNextMidnight) expect(label).toBe(`${luxonDate(start, zone)} ${luxonTime(start, zone)}–24:00 (${zone})`)
        else expect(label).toBe(`${luxonDate(start, zone)} ${luxonTime(start, zone)} – ${luxonDate(end, zone)} ${luxonTime(end, zone)} (${zone})`)
      }),
      { numRuns: 2_000 },
    )
  })

  it('names the cases people read', () => {
    const nineLondon = Date.UTC(2026, 2, 9, 9)
    expect(formatLocalRange(nineLondon, nineLondon + HOUR_MS, 'Europe/London')).toBe('Mon 9 Mar 2026 09:00–10:00 (Europe/London)')
    expect(formatLocalRange(Date.UTC(2026, 2, 9, 23), Date.UTC(2026, 2, 10, 0), 'UTC')).toBe('Mon 9 Mar 2026 23:00–24:00 (UTC)')
    expect(formatLocalRange(Date.UTC(2026, 2, 9, 23), Date.UTC(2026, 2, 10, 1), 'UTC')).toBe('Mon 9 Mar 2026 23:00 – Tue 10 Mar 2026 01:00 (UTC)')
    // The repeated hour of 2026-11-01 in New York: 01:30 EDT, then 01:30 EST an hour later.
    const firstOneThirty = Date.UTC(2026, 10, 1, 5, 30)
    expect(formatLocalRange(firstOneThirty, firstOneThirty + HOUR_MS, 'America/New_York')).toBe('Sun 1 Nov 2026 01:30–01:30 (America/New_York)')
    // Kolkata is 5:30 ahead of UTC, with no DST.
    expect(formatLocalDateTime(Date.UTC(2026, 8, 15, 3), 'Asia/Kolkata')).toBe('Tue 15 Sept 2026 08:30 (Asia/Kolkata)')
    expect(formatLocalTime(Date.UTC(2026, 0, 1) + DAY_MS - MINUTE_MS, 'UTC')).toBe('23:59')
  })
})
