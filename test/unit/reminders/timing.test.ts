import { describe, expect, it } from '@jest/globals'

import { DEFAULT_REMINDER_OFFSETS_MINUTES, parseReminderOffsets, reminderDueTimes } from '../../../src/reminders/timing'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const start = Date.UTC(2026, 5, 15, 9, 0)
const offsetsMinutes = [1440, 60]

describe('reminderDueTimes', () => {
  it('schedules each reminder its offset before the start, earliest first', () => {
    expect(reminderDueTimes({ start, offsetsMinutes: [60, 1440], bookedAt: start - 7 * 24 * HOUR })).toEqual([
      { offsetMinutes: 1440, dueAt: start - 24 * HOUR },
      { offsetMinutes: 60, dueAt: start - HOUR },
    ])
  })

  it('sends none for a session booked 30 minutes before it starts', () => {
    expect(reminderDueTimes({ start, offsetsMinutes, bookedAt: start - 30 * MINUTE })).toEqual([])
  })

  it('sends only the 1-hour reminder for a session booked 2 hours before it starts', () => {
    expect(reminderDueTimes({ start, offsetsMinutes, bookedAt: start - 2 * HOUR })).toEqual([{ offsetMinutes: 60, dueAt: start - HOUR }])
  })

  it('drops a reminder that would fall due exactly at booking time', () => {
    expect(reminderDueTimes({ start, offsetsMinutes, bookedAt: start - HOUR })).toEqual([])
  })

  it('sends none for a session whose start has already passed', () => {
    expect(reminderDueTimes({ start, offsetsMinutes, bookedAt: start + HOUR })).toEqual([])
  })

  it('sends a duplicated offset once', () => {
    expect(reminderDueTimes({ start, offsetsMinutes: [60, 60], bookedAt: start - 7 * 24 * HOUR })).toHaveLength(1)
  })
})

describe('parseReminderOffsets', () => {
  it('defaults to a day and an hour before when unset or blank', () => {
    expect(DEFAULT_REMINDER_OFFSETS_MINUTES).toEqual([1440, 60])
    expect(parseReminderOffsets(undefined)).toEqual([1440, 60])
    expect(parseReminderOffsets('  ')).toEqual([1440, 60])
  })

  it('parses a comma-separated list, tolerating spaces, largest first without duplicates', () => {
    expect(parseReminderOffsets('1440,60')).toEqual([1440, 60])
    expect(parseReminderOffsets(' 60 , 2880,60')).toEqual([2880, 60])
    expect(parseReminderOffsets('15')).toEqual([15])
  })

  it.each(['abc', '1440,', '1440,,60', '60m', '-60', '1.5', '0', '1440;60', '9999999'])('throws for %p', (value) => {
    expect(() => parseReminderOffsets(value)).toThrow(/Reminder offset/)
  })

  it('names the bad entry and shows an example', () => {
    expect(() => parseReminderOffsets('1440,soon')).toThrow(
      'Reminder offsets must be a comma-separated list of whole minutes before the session, e.g. "1440,60"; "soon" in "1440,soon" is not a whole number.',
    )
  })
})
