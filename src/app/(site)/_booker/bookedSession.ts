import { getTranslations } from 'next-intl/server'

import { serverURL } from '../../../lib/env'
import type { Appointment, Tutor } from '../../../payload-types'
import type { CalendarEvent } from './calendarLinks'

/** The calendar entry for a booked session, in the site's language, linking to its manage page. */
export async function calendarEventOf(appointment: Appointment & { tutor: Tutor }, locale?: string): Promise<CalendarEvent & { url: string }> {
  const t = locale ? await getTranslations({ locale, namespace: 'Booked' }) : await getTranslations('Booked')
  const url = `${serverURL()}/bookings/${appointment.id}`
  return {
    title: t('eventTitle', { tutor: appointment.tutor.name }),
    start: Date.parse(appointment.start),
    end: Date.parse(appointment.end),
    details: t('eventDetails', { tutor: appointment.tutor.name, url }),
    location: appointment.meetingLocation?.trim() || null,
    url,
  }
}
