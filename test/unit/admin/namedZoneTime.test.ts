import { describe, expect, it } from '@jest/globals'

import { namedZoneTime } from '../../../src/admin/formatTime'

describe('namedZoneTime', () => {
  it('shows an instant in the given zone with the zone named, across a DST change', () => {
    expect(namedZoneTime('2026-12-11T13:30:00.000Z', 'Europe/Paris')).toBe('Fri 11 Dec 2026 14:30 (Europe/Paris)')
    expect(namedZoneTime('2026-07-10T13:30:00.000Z', 'Europe/Paris')).toBe('Fri 10 Jul 2026 15:30 (Europe/Paris)')
    expect(namedZoneTime(Date.parse('2026-12-11T13:30:00.000Z'), 'America/St_Johns')).toBe('Fri 11 Dec 2026 10:00 (America/St_Johns)')
  })

  it('shows nothing for a value that is not a date', () => {
    expect(namedZoneTime('not a date', 'UTC')).toBe('')
  })
})
