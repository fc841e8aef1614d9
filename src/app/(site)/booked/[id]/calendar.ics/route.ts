import config from '@payload-config'
import { getPayload } from 'payload'

import { buildCalendarInvite, calendarUid } from '../../../../../email/calendarInvite'
import { emailSettingsFromEnv } from '../../../../../email/settings'
import { isLocale, LOCALE_COOKIE, negotiateLocale } from '../../../../../i18n/catalog'
import type { Appointment, Student, Tutor } from '../../../../../payload-types'
import { calendarEventOf } from '../../../_booker/bookedSession'
import { isAppointmentId } from '../../../_booker/bookerUrls'

export const dynamic = 'force-dynamic'

const refuse = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })

/**
 * GET /booked/<id>/calendar.ics: the session as an iCalendar file, for the student who booked it (or staff).
 * Same UID as the emailed invite (src/email/calendarInvite.ts), so a calendar keeps one event for it.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  if (!isAppointmentId(id)) return refuse(404, 'There is no booking at this address.')
  const payload = await getPayload({ config })
  const { user } = await payload.auth({ headers: request.headers })
  if (!user) return refuse(401, 'Sign in to download this booking.')
  const appointment = (await payload.findByID({ collection: 'appointments', id, depth: 1, user, overrideAccess: false, disableErrors: true }).catch(() => null)) as
    | (Appointment & { tutor: Tutor; student: Student | string })
    | null
  if (!appointment || typeof appointment.tutor !== 'object') return refuse(404, 'There is no booking of yours at this address.')
  const cookie = request.headers.get('cookie')?.match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]*)`))?.[1]
  const locale = isLocale(cookie) ? cookie : negotiateLocale(request.headers.get('accept-language'))
  const event = await calendarEventOf(appointment, locale)
  const settings = emailSettingsFromEnv()
  const student = typeof appointment.student === 'object' ? appointment.student : null
  const ics = buildCalendarInvite({
    method: appointment.status === 'cancelled' ? 'CANCEL' : 'REQUEST',
    uid: calendarUid(appointment.bookingKey || appointment.id),
    // The emailed invites carry the revision; a download never outranks them.
    sequence: 0,
    start: event.start,
    end: event.end,
    title: event.title,
    description: event.details,
    location: event.location,
    url: event.url,
    organizer: { name: settings.fromName, email: settings.fromAddress },
    attendee: { name: student?.fullName ?? 'Student', email: student?.email ?? settings.fromAddress },
    stamp: Date.parse(appointment.updatedAt),
  })
  return new Response(ics, {
    headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': 'attachment; filename="tutortrack-session.ics"', 'Cache-Control': 'no-store' },
  })
}
