import { describe, expect, it } from '@jest/globals'
import ical from 'node-ical'

import { appointmentMail, planAppointmentEmails, type AppointmentMailInput, type AppointmentSnapshot } from '../../../src/email/appointmentEmailPlan'

const HOUR = 3_600_000
const start = Date.UTC(2027, 0, 15, 17, 0)
const booked: AppointmentSnapshot = {
  status: 'booked',
  start: new Date(start).toISOString(),
  end: new Date(start + HOUR).toISOString(),
  tutor: 't1',
  student: 's1',
  meetingLocation: 'https://meet.example.com/priya',
}

/** The mail input, with the plan of its previous → current as the write computes it. */
const input = (overrides: Partial<AppointmentMailInput> = {}): AppointmentMailInput => {
  const given = {
    appointmentId: 'a1',
    bookingKey: 'bk-1',
    sequence: 0,
    at: start - 10 * 24 * HOUR,
    current: { ...booked, notes: 'Quadratics' },
    students: new Map([['s1', { name: 'Sam Okafor', email: 'sam@example.com', timeZone: 'America/Los_Angeles' }]]),
    tutors: new Map([['t1', { name: 'Priya Raman', email: 'priya@example.com', timeZone: 'Asia/Kolkata' }]]),
    manageUrl: 'https://tutortrack.example/bookings/a1',
    tutorManageUrl: 'https://tutortrack.example/admin/collections/appointments/a1',
    organizer: { name: 'TutorTrack', email: 'no-reply@tutortrack.example' },
    reminderOffsetsMinutes: [1440, 60],
    ...overrides,
  }
  return { ...given, plan: overrides.plan ?? planAppointmentEmails(given.previous, given.current) }
}

const inviteEvent = (text: string) => Object.values(ical.sync.parseICS(text)).find((item) => item?.type === 'VEVENT') as ical.VEvent

describe('appointmentMail', () => {
  it('a booking: confirmation with invite in the student zone, notice in the tutor zone, reminders due later', () => {
    const { messages, cancelRemindersBecause } = appointmentMail(input())
    expect(cancelRemindersBecause).toBeUndefined()
    const [confirmation, notice, ...reminders] = messages
    expect(confirmation).toMatchObject({
      to: 'sam@example.com',
      template: 'appointment-confirmed',
      subject: 'Booked: Priya Raman, Fri 15 Jan 2027 09:00 (America/Los_Angeles)',
      dedupeKey: 'appointment-confirmed:a1:0:s1',
      appointmentStart: start,
      renderProps: { timeZone: 'America/Los_Angeles', tutorName: 'Priya Raman', studentName: 'Sam Okafor', notes: 'Quadratics' },
    })
    expect(confirmation.sendAt).toBeUndefined()
    const event = inviteEvent(confirmation.attachments[0].content)
    expect(confirmation.attachments[0].method).toBe('REQUEST')
    expect(event.uid).toBe('bk-1@tutortrack')
    expect(Number(event.sequence)).toBe(0)
    expect(new Date(event.start).getTime()).toBe(start)

    expect(notice).toMatchObject({ to: 'priya@example.com', template: 'tutor-new-booking', dedupeKey: 'tutor-new-booking:a1:0:t1', attachments: [] })
    expect(notice.subject).toBe('New booking: Sam Okafor, Fri 15 Jan 2027 22:30 (Asia/Kolkata)')
    expect(notice.renderProps).toMatchObject({ timeZone: 'Asia/Kolkata' })
    // The tutor's "View booking" is their view of the session in the admin panel, the student's the site's page.
    expect(notice.renderProps.manageUrl).toBe('https://tutortrack.example/admin/collections/appointments/a1')
    expect(confirmation.renderProps.manageUrl).toBe('https://tutortrack.example/bookings/a1')

    expect(reminders.map((reminder) => [reminder.dedupeKey, reminder.sendAt])).toEqual([
      [`reminder:a1:${booked.start}:1440`, start - 24 * HOUR],
      [`reminder:a1:${booked.start}:60`, start - HOUR],
    ])
    expect(reminders[0].renderProps).toMatchObject({ timeZone: 'America/Los_Angeles', offsetMinutes: 1440 })
  })

  it('reminders already past at the time of the write are not queued', () => {
    const { messages } = appointmentMail(input({ at: start - 3 * HOUR }))
    expect(messages.filter((message) => message.template === 'appointment-reminder').map((message) => message.renderProps.offsetMinutes)).toEqual([60])
  })

  it('a tutor without a contact address gets no notice; the student still does', () => {
    const { messages } = appointmentMail(input({ tutors: new Map([['t1', { name: 'Priya Raman', email: null, timeZone: 'Asia/Kolkata' }]]) }))
    expect(messages.map((message) => message.template)).toEqual(['appointment-confirmed', 'appointment-reminder', 'appointment-reminder'])
  })

  it('a cancellation: METHOD:CANCEL under the given SEQUENCE, the reason, and the pending reminders cancelled', () => {
    const { messages, cancelRemindersBecause } = appointmentMail(input({
      sequence: 3,
      previous: booked,
      current: { ...booked, status: 'cancelled', cancellation: { reason: 'Exam moved', by: 'student' } },
    }))
    expect(cancelRemindersBecause).toBe('Not sent: the appointment is cancelled.')
    expect(messages.map((message) => message.dedupeKey)).toEqual(['appointment-cancelled:a1:3:s1', 'tutor-booking-cancelled:a1:3:t1'])
    expect(messages[0].attachments[0].method).toBe('CANCEL')
    expect(Number(inviteEvent(messages[0].attachments[0].content).sequence)).toBe(3)
    expect(messages[1].renderProps).toMatchObject({ reason: 'Exam moved', cancelledBy: 'student' })
  })

  it('a move: the update shows where it was, and the reminders are queued again for the new time', () => {
    const newStart = start + 2 * HOUR
    const { messages, cancelRemindersBecause } = appointmentMail(input({
      sequence: 1,
      previous: booked,
      current: { ...booked, start: new Date(newStart).toISOString(), end: new Date(newStart + HOUR).toISOString() },
    }))
    expect(cancelRemindersBecause).toBe('Not sent: the appointment changed; reminders were queued again.')
    expect(messages[0]).toMatchObject({ template: 'appointment-rescheduled', renderProps: { start: newStart, previousStart: start } })
    expect(messages.filter((message) => message.template === 'appointment-reminder').map((message) => message.sendAt)).toEqual([newStart - 24 * HOUR, newStart - HOUR])
  })
})
