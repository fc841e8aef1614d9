import { describe, expect, it } from '@jest/globals'

import { groupByDay, nextRange, planCopy, type RangeRow } from '../../../src/admin/availability/weekModel'
import { instantOfWallInput, wallInputOf } from '../../../src/scheduling/wallInput'

const rows: RangeRow[] = [
  { index: 0, day: 'mon', start: '13:00', end: '17:00' },
  { index: 1, day: 'tue', start: '08:00', end: '10:00' },
  { index: 2, day: 'mon', start: '09:00', end: '12:00' },
  { index: 3, day: 'wed', start: '10:00', end: '11:00' },
]

describe('the week grid model', () => {
  it('groups rows by weekday, Monday first, each day in start order, keeping each row’s form index', () => {
    const days = groupByDay(rows)
    expect(days.map((day) => day.day)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
    expect(days[0].ranges.map((range) => range.index)).toEqual([2, 0])
    expect(days[3].ranges).toEqual([])
  })

  it('proposes 09:00–17:00 on an empty day, else the hour after the day’s last range, never past 24:00', () => {
    expect(nextRange([])).toEqual({ start: '09:00', end: '17:00' })
    expect(nextRange(groupByDay(rows)[0].ranges)).toEqual({ start: '17:00', end: '18:00' })
    expect(nextRange([{ index: 0, day: 'mon', start: '20:00', end: '24:00' }])).toEqual({ start: '23:00', end: '24:00' })
  })

  it('copies a day by replacing the targets’ ranges: removals highest index first, then the source’s ranges', () => {
    expect(planCopy(rows, 'mon', ['tue', 'wed', 'mon'])).toEqual({
      remove: [3, 1],
      add: [
        { day: 'tue', start: '09:00', end: '12:00' },
        { day: 'tue', start: '13:00', end: '17:00' },
        { day: 'wed', start: '09:00', end: '12:00' },
        { day: 'wed', start: '13:00', end: '17:00' },
      ],
    })
  })
})

describe('datetime-local values in a named zone', () => {
  it('reads and writes wall times in that zone, whatever the machine’s zone', () => {
    expect(wallInputOf('2026-12-11T13:30:00.000Z', 'Europe/Paris')).toBe('2026-12-11T14:30')
    expect(instantOfWallInput('2026-12-11T14:30', 'Europe/Paris')).toBe('2026-12-11T13:30:00.000Z')
    expect(instantOfWallInput('2026-07-01T09:00', 'Asia/Kolkata')).toBe('2026-07-01T03:30:00.000Z')
    expect(wallInputOf(undefined, 'UTC')).toBe('')
    expect(instantOfWallInput('not a time', 'UTC')).toBeUndefined()
  })

  it('moves a wall time skipped by a DST jump forward by the gap', () => {
    // 02:30 does not exist in Paris on 29 March 2026 (clocks go 02:00 → 03:00): it is read as 03:30 CEST.
    expect(instantOfWallInput('2026-03-29T02:30', 'Europe/Paris')).toBe('2026-03-29T01:30:00.000Z')
  })
})
