import { createEvent } from 'ics'

/**
 * iCalendar invites for appointments (RFC 5546 iTIP): METHOD:REQUEST to add or update the event, METHOD:CANCEL
 * to remove it. The UID stays the same for the appointment's whole life, so calendars update the one event;
 * SEQUENCE rises on every change so a later revision always wins. Times are UTC instants.
 */
export type CalendarInviteInput = {
  method: 'REQUEST' | 'CANCEL'
  uid: string
  sequence: number
  start: number
  end: number
  title: string
  description: string
  location?: string | null
  url: string
  organizer: { name: string; email: string }
  attendee: { name: string; email: string }
  /** When this revision was made (DTSTAMP / LAST-MODIFIED). */
  stamp: number
}

export const calendarUid = (bookingKey: string): string => `${bookingKey}@tutortrack`

export function buildCalendarInvite(input: CalendarInviteInput): string {
  const cancelled = input.method === 'CANCEL'
  const { error, value } = createEvent({
    method: input.method,
    productId: 'tutortrack/ics',
    uid: input.uid,
    sequence: input.sequence,
    start: input.start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end: input.end,
    endInputType: 'utc',
    endOutputType: 'utc',
    title: input.title,
    description: input.description,
    ...(input.location ? { location: input.location } : {}),
    url: input.url,
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: cancelled ? 'FREE' : 'BUSY',
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: [
      { name: input.attendee.name, email: input.attendee.email, rsvp: false, partstat: 'ACCEPTED', role: 'REQ-PARTICIPANT' },
    ],
    lastModified: input.stamp,
  })
  if (error || !value) throw error ?? new Error('Could not build the calendar invite')
  return value
}

/** The outbox form of an invite: sent by nodemailer as a text/calendar alternative plus an invite.ics file. */
export type StoredInvite = { filename: string; contentType: string; method: 'REQUEST' | 'CANCEL'; content: string }

export function storedInvite(method: 'REQUEST' | 'CANCEL', content: string): StoredInvite {
  return {
    filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    method,
    content,
  }
}
