import { describe, expect, it } from '@jest/globals'

import { strandedSessions, strandedSessionsMessage, type TutorHours } from '../../../src/scheduling'

const at = (iso: string) => Date.parse(iso)
const NOW = at('2026-12-01T00:00:00Z')
// Mon 7 Dec 2026, 10:00–11:00 in Europe/London (UTC in winter).
const monday = { id: 'a1', start: at('2026-12-07T10:00:00Z'), end: at('2026-12-07T11:00:00Z'), studentName: 'Sam' }
const hours: TutorHours = { timeZone: 'Europe/London', weeklyRules: [{ day: 'mon', start: '09:00', end: '17:00' }], timeOff: [] }

describe('strandedSessions', () => {
  it('finds a future session that new time off covers', () => {
    const after = { ...hours, timeOff: [{ start: at('2026-12-07T00:00:00Z'), end: at('2026-12-08T00:00:00Z') }] }
    expect(strandedSessions({ before: hours, after, sessions: [monday], now: NOW })).toEqual([{ ...monday, cause: 'time_off' }])
  })

  it('finds a session that new weekly hours leave outside', () => {
    const after = { ...hours, weeklyRules: [{ day: 'mon' as const, start: '12:00', end: '17:00' }] }
    expect(strandedSessions({ before: hours, after, sessions: [monday], now: NOW })).toEqual([{ ...monday, cause: 'weekly_hours' }])
  })

  it('a change of zone moves the hours too', () => {
    expect(strandedSessions({ before: hours, after: { ...hours, timeZone: 'America/Los_Angeles' }, sessions: [monday], now: NOW })).toHaveLength(1)
  })

  it('leaves sessions the change does not affect, past sessions and ones already outside the hours', () => {
    const after = { ...hours, timeOff: [{ start: at('2026-12-08T00:00:00Z'), end: at('2026-12-09T00:00:00Z') }] }
    expect(strandedSessions({ before: hours, after, sessions: [monday], now: NOW })).toEqual([])
    const shorter = { ...hours, weeklyRules: [{ day: 'mon' as const, start: '12:00', end: '17:00' }] }
    expect(strandedSessions({ before: hours, after: shorter, sessions: [monday], now: at('2026-12-07T12:00:00Z') })).toEqual([])
    // Booked by staff outside the hours on purpose: an unrelated edit of the hours does not strand it.
    const early = { ...monday, id: 'a2', start: at('2026-12-07T07:00:00Z'), end: at('2026-12-07T08:00:00Z') }
    expect(strandedSessions({ before: hours, after: shorter, sessions: [early], now: NOW })).toEqual([])
  })

  it('names each session in the tutor\'s zone', () => {
    const message = strandedSessionsMessage({ tutorName: 'Ada', tutorTimeZone: 'Europe/London', sessions: [{ ...monday, cause: 'time_off' }], choiceLabel: 'Cancel' })
    expect(message).toContain("Mon 7 Dec 2026 10:00–11:00 (tutor's time, Europe/London) with Sam (in the new time off)")
    expect(message).toContain('1 booked session of Ada')
  })
})
