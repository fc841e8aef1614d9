import { describe, expect, it } from '@jest/globals'

import { TEMPLATE_NAMES } from '../../../email-templates'
import { toPlainText } from '@react-email/render'

import { renderEmail } from '../../../src/email/render'

// Fri 15 Jan 2027 17:00 UTC: 09:00 in Los Angeles (PST, UTC-8), 22:30 in Kolkata (IST, UTC+5:30).
const winter = Date.UTC(2027, 0, 15, 17, 0)
// Thu 15 Jul 2027 18:00 UTC: 11:00 in Los Angeles (PDT, UTC-7), 23:30 in Kolkata — the hour runs past midnight.
const summer = Date.UTC(2027, 6, 15, 18, 0)
const HOUR = 3_600_000

const session = (start: number, timeZone: string) => ({
  start,
  end: start + HOUR,
  timeZone,
  tutorName: 'Priya Raman',
  studentName: 'Sam Okafor',
  meetingLocation: 'https://meet.example.com/priya',
  notes: 'Quadratic equations',
  manageUrl: 'https://tutortrack.example/bookings/abc123',
})

describe('appointment email templates', () => {
  it('shows the student their own local time with the zone named', async () => {
    const mail = await renderEmail('appointment-confirmed', session(winter, 'America/Los_Angeles'))
    expect(mail.subject).toBe('Booked: Priya Raman, Fri 15 Jan 2027 09:00 (America/Los_Angeles)')
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('When: Fri 15 Jan 2027 09:00–10:00 (America/Los_Angeles)')
      expect(part).toContain('Tutor: Priya Raman')
      expect(part).toContain('https://meet.example.com/priya')
      expect(part).toContain('https://tutortrack.example/bookings/abc123')
    }
    expect(mail.text).toContain('Where: https://meet.example.com/priya')
    expect(mail.html).toContain('href="https://tutortrack.example/bookings/abc123"')
  })

  it('follows daylight saving time', async () => {
    const mail = await renderEmail('appointment-reminder', { ...session(summer, 'America/Los_Angeles'), offsetMinutes: 60 })
    expect(mail.subject).toBe('Reminder: Priya Raman in 1 hour, Thu 15 Jul 2027 11:00 (America/Los_Angeles)')
    expect(mail.text).toContain('When: Thu 15 Jul 2027 11:00–12:00 (America/Los_Angeles)')
  })

  it('shows the tutor their own zone, across local midnight', async () => {
    const winterMail = await renderEmail('tutor-new-booking', session(winter, 'Asia/Kolkata'))
    expect(winterMail.subject).toBe('New booking: Sam Okafor, Fri 15 Jan 2027 22:30 (Asia/Kolkata)')
    expect(winterMail.text).toContain('When: Fri 15 Jan 2027 22:30–23:30 (Asia/Kolkata)')
    expect(winterMail.text).toContain('Student: Sam Okafor')

    const summerMail = await renderEmail('tutor-booking-cancelled', { ...session(summer, 'Asia/Kolkata'), cancelledBy: 'student', reason: 'Exam moved' })
    expect(summerMail.subject).toBe('Cancelled: Sam Okafor, Thu 15 Jul 2027 23:30 (Asia/Kolkata)')
    expect(summerMail.text).toContain('When: Thu 15 Jul 2027 23:30 – Fri 16 Jul 2027 00:30 (Asia/Kolkata)')
    expect(summerMail.text).toContain('Reason: Exam moved')
    expect(summerMail.text).toContain('Sam Okafor cancelled this session')
  })

  it('a reschedule names the old and the new time', async () => {
    const mail = await renderEmail('appointment-rescheduled', {
      ...session(winter + 2 * HOUR, 'America/Los_Angeles'),
      previousStart: winter,
      previousEnd: winter + HOUR,
    })
    expect(mail.subject).toBe('Moved: your session with Priya Raman is now Fri 15 Jan 2027 11:00 (America/Los_Angeles)')
    expect(mail.text).toContain('Was: Fri 15 Jan 2027 09:00–10:00 (America/Los_Angeles)')
    expect(mail.text).toContain('When: Fri 15 Jan 2027 11:00–12:00 (America/Los_Angeles)')
  })

  it('escapes what users typed', async () => {
    const mail = await renderEmail('appointment-confirmed', { ...session(winter, 'UTC'), notes: '<script>alert(1)</script>' })
    expect(mail.html).not.toContain('<script>')
    expect(mail.text).toContain('Notes: <script>alert(1)</script>')
  })

  it('verification and reset emails carry their link in both parts', async () => {
    const verify = await renderEmail('verify-email', { recipientName: 'Vera', verifyUrl: 'https://tutortrack.example/verify?token=abc' })
    expect(verify.subject).toBe('Confirm your email address for TutorTrack')
    expect(verify.html).toContain('href="https://tutortrack.example/verify?token=abc"')
    expect(verify.text).toContain('https://tutortrack.example/verify?token=abc')
    const reset = await renderEmail('reset-password', { recipientName: 'Ray', resetUrl: 'https://tutortrack.example/reset-password?token=def', validForHours: 1 })
    expect(reset.text).toContain('https://tutortrack.example/reset-password?token=def')
    expect(reset.text).toContain('The link works for 1 hour.')
  })

  it('every template renders an HTML and a plain-text part', async () => {
    const props = { ...session(winter, 'UTC'), offsetMinutes: 1440, previousStart: winter - HOUR, previousEnd: winter, recipientName: 'A', verifyUrl: 'https://x/v', resetUrl: 'https://x/r', validForHours: 1, invitedBy: 'Ada', setPasswordUrl: 'https://x/admin/reset/t' }
    for (const name of TEMPLATE_NAMES) {
      const mail = await renderEmail(name, props as never)
      expect(mail.subject.length).toBeGreaterThan(5)
      expect(mail.html).toMatch(/^<!DOCTYPE html/)
      expect(mail.text.length).toBeGreaterThan(20)
      expect(mail.text).not.toMatch(/<[a-z]/i)
    }
  })
})

describe('plain-text part', () => {
  it('is exactly what React Email\'s toPlainText makes of the HTML (same options, compiled once)', async () => {
    for (const template of ['appointment-confirmed', 'tutor-new-booking', 'appointment-reminder'] as const) {
      const mail = await renderEmail(template, { ...session(summer, 'Asia/Kolkata'), offsetMinutes: 60 } as never)
      expect(mail.text).toBe(toPlainText(mail.html).trim())
      expect(mail.text).toContain('When: Thu 15 Jul 2027 23:30 – Fri 16 Jul 2027 00:30 (Asia/Kolkata)')
    }
  })
})

describe('a student’s mail in their language', () => {
  it('Spanish: subject, words and times from the catalog, the zone named', async () => {
    const mail = await renderEmail('appointment-confirmed', { ...session(winter, 'Europe/Madrid'), locale: 'es' })
    // 17:00 UTC is 18:00 in Madrid (CET) on Fri 15 Jan 2027.
    expect(mail.subject).toBe('Reservada: Priya Raman, vie, 15 ene 2027, 18:00 (Europe/Madrid)')
    expect(mail.text).toContain('Hola Sam Okafor, tu sesión está confirmada.')
    expect(mail.text).toContain('Cuándo: vie, 15 ene 2027, 18:00–19:00 (Europe/Madrid)')
    expect(mail.text).toContain('Dónde: https://meet.example.com/priya')
    expect(mail.html).toContain('lang="es"')
    expect(mail.text).not.toMatch(/\b(When|Tutor session|Manage your booking)\b/)
  })

  it('Spanish reminder, cancellation and verification', async () => {
    const reminder = await renderEmail('appointment-reminder', { ...session(winter, 'Europe/Madrid'), offsetMinutes: 90, locale: 'es' })
    expect(reminder.subject).toBe('Recordatorio: Priya Raman dentro de 1 hora y 30 minutos, vie, 15 ene 2027, 18:00 (Europe/Madrid)')
    const cancelled = await renderEmail('appointment-cancelled', { ...session(winter, 'Europe/Madrid'), cancelledBy: 'student', reason: 'Examen', locale: 'es' })
    expect(cancelled.text).toContain('Hola Sam Okafor, cancelaste esta sesión.')
    expect(cancelled.text).toContain('Motivo: Examen')
    const verify = await renderEmail('verify-email', { recipientName: 'Vera', verifyUrl: 'https://tutortrack.example/verify?token=abc', locale: 'es' })
    expect(verify.subject).toBe('Confirma tu dirección de correo para TutorTrack')
    expect(verify.text).toContain('https://tutortrack.example/verify?token=abc')
  })

  it('a tutor’s note from a student carries the name and words only', async () => {
    const mail = await renderEmail('tutor-student-message', { tutorName: 'Priya Raman', studentName: 'Sam Okafor', message: 'Running late <b>sorry</b>', start: winter, end: winter + HOUR, timeZone: 'Asia/Kolkata' })
    expect(mail.subject).toBe('Message from Sam Okafor about Fri 15 Jan 2027 22:30 (Asia/Kolkata)')
    expect(mail.text).toContain('Running late <b>sorry</b>')
    expect(mail.html).not.toContain('<b>sorry')
  })
})
