import { describe, expect, it } from '@jest/globals'
import ical from 'node-ical'

import { buildCalendarInvite, calendarUid } from '../../../src/email/calendarInvite'

const start = Date.UTC(2027, 0, 15, 17, 0)
const end = start + 3_600_000

const invite = (method: 'REQUEST' | 'CANCEL', sequence: number) =>
  buildCalendarInvite({
    method,
    uid: calendarUid('bk-123'),
    sequence,
    start,
    end,
    title: 'Tutoring session with Priya Raman',
    description: 'Manage: https://tutortrack.example/bookings/abc',
    location: 'https://meet.example.com/priya',
    url: 'https://tutortrack.example/bookings/abc',
    organizer: { name: 'TutorTrack', email: 'no-reply@tutortrack.example' },
    attendee: { name: 'Sam Okafor', email: 'sam@example.com' },
    stamp: Date.UTC(2026, 11, 1),
  })

function onlyEvent(text: string) {
  const events = Object.values(ical.sync.parseICS(text)).filter((item) => item?.type === 'VEVENT')
  expect(events).toHaveLength(1)
  return events[0] as ical.VEvent
}

describe('calendar invites', () => {
  it('a REQUEST parses back to the same UTC instants, UID and sequence', () => {
    const text = invite('REQUEST', 0)
    expect(text).toContain('METHOD:REQUEST')
    expect(text).toContain('DTSTART:20270115T170000Z')
    const event = onlyEvent(text)
    expect(event.uid).toBe('bk-123@tutortrack')
    expect(new Date(event.start).getTime()).toBe(start)
    expect(new Date(event.end!).getTime()).toBe(end)
    expect(Number(event.sequence)).toBe(0)
    expect(event.status).toBe('CONFIRMED')
  })

  it('a CANCEL keeps the UID and carries the raised sequence', () => {
    const text = invite('CANCEL', 3)
    expect(text).toContain('METHOD:CANCEL')
    const event = onlyEvent(text)
    expect(event.uid).toBe('bk-123@tutortrack')
    expect(Number(event.sequence)).toBe(3)
    expect(event.status).toBe('CANCELLED')
  })
})
