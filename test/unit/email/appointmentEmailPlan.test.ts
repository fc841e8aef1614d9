import { describe, expect, it } from '@jest/globals'

import { planAppointmentEmails, planOfWrite, type AppointmentSnapshot } from '../../../src/email/appointmentEmailPlan'

const booked: AppointmentSnapshot = {
  status: 'booked',
  start: '2027-01-15T17:00:00.000Z',
  end: '2027-01-15T18:00:00.000Z',
  tutor: 't1',
  student: 's1',
  meetingLocation: 'Room 1',
}

const templates = (plan: ReturnType<typeof planAppointmentEmails>) => plan.emails.map((email) => `${email.template}→${email.recipient.id}${email.invite ? `:${email.invite}` : ''}`)

describe('planAppointmentEmails', () => {
  it('a new booking: confirmation with invite, tutor notice, reminders', () => {
    const plan = planAppointmentEmails(undefined, booked)
    expect(templates(plan)).toEqual(['appointment-confirmed→s1:REQUEST', 'tutor-new-booking→t1'])
    expect(plan.reminders).toBe('schedule')
  })

  it('an appointment created already cancelled sends nothing', () => {
    expect(planAppointmentEmails(undefined, { ...booked, status: 'cancelled' })).toEqual({ emails: [], reminders: 'keep' })
  })

  it('a move: update with invite to the student, notice to the tutor, reminders again', () => {
    const plan = planAppointmentEmails(booked, { ...booked, start: '2027-01-15T19:00:00.000Z', end: '2027-01-15T20:00:00.000Z' })
    expect(templates(plan)).toEqual(['appointment-rescheduled→s1:REQUEST', 'tutor-booking-rescheduled→t1'])
    expect(plan.reminders).toBe('schedule')
  })

  it('the same instant written differently is no change; a notes edit is no change', () => {
    expect(planAppointmentEmails(booked, { ...booked, start: '2027-01-15T17:00:00Z' })).toEqual({ emails: [], reminders: 'keep' })
  })

  it('a new meeting place updates the invite', () => {
    expect(templates(planAppointmentEmails(booked, { ...booked, meetingLocation: 'Room 2' }))).toEqual([
      'appointment-rescheduled→s1:REQUEST',
      'tutor-booking-rescheduled→t1',
    ])
  })

  it('a cancellation: CANCEL invite, tutor notice, reminders cancelled', () => {
    const plan = planAppointmentEmails(booked, { ...booked, status: 'cancelled' })
    expect(templates(plan)).toEqual(['appointment-cancelled→s1:CANCEL', 'tutor-booking-cancelled→t1'])
    expect(plan.reminders).toBe('cancel')
  })

  it('completed or no-show: no email, reminders cancelled', () => {
    expect(planAppointmentEmails(booked, { ...booked, status: 'completed' })).toEqual({ emails: [], reminders: 'cancel' })
  })

  it('re-activating a cancelled appointment books it again', () => {
    expect(templates(planAppointmentEmails({ ...booked, status: 'cancelled' }, booked))).toEqual(['appointment-confirmed→s1:REQUEST', 'tutor-new-booking→t1'])
  })

  it('reassigning student and tutor: the old ones are told it is off, the new ones that it is on', () => {
    const plan = planAppointmentEmails(booked, { ...booked, student: 's2', tutor: 't2' })
    expect(templates(plan)).toEqual([
      'appointment-cancelled→s1:CANCEL',
      'appointment-confirmed→s2:REQUEST',
      'tutor-booking-cancelled→t1',
      'tutor-new-booking→t2',
    ])
    expect(plan.emails[0].version).toBe('previous')
  })
})

describe('planOfWrite', () => {
  const moved = { ...booked, start: '2027-01-15T19:00:00.000Z', end: '2027-01-15T20:00:00.000Z' }
  const earlier = { plan: planAppointmentEmails(booked, moved), previous: booked, next: moved }

  it('reuses the plan the write computed before the save when the snapshots are the same', () => {
    expect(planOfWrite(earlier, { ...booked }, { ...moved })).toBe(earlier.plan)
  })

  it('computes it again when the appointment changed since (or there is none)', () => {
    const placed = { ...moved, meetingLocation: 'Room 2' }
    expect(planOfWrite(earlier, booked, placed)).not.toBe(earlier.plan)
    expect(planOfWrite(earlier, booked, placed)).toEqual(planAppointmentEmails(booked, placed))
    expect(planOfWrite(earlier, undefined, moved)).toEqual(planAppointmentEmails(undefined, moved))
    expect(planOfWrite(undefined, booked, moved)).toEqual(earlier.plan)
  })
})
