import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'

import { isBooked, isValidTimeZone, sessionMinutes } from '../../../../scheduling'
import { calendarEventOf } from '../../_booker/bookedSession'
import { isAppointmentId, signInHrefs } from '../../_booker/bookerUrls'
import { googleCalendarUrl, outlookCalendarUrl } from '../../_booker/calendarLinks'
import type { SearchParams } from '../../_booker/loadBooker'
import { currentUser, ownAppointment } from '../../_booker/ownAppointment'
import { timeText } from '../../_booker/timeText'
import { visitorZone } from '../../_zone/visitorZone'

export const dynamic = 'force-dynamic'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Booked'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

const link = 'font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900'
const button = 'inline-block rounded-lg border border-brand-700 px-4 py-2 text-sm font-semibold text-brand-800 hover:bg-brand-50'

/**
 * `/booked/<id>`: where the confirm step lands. What, when (the student's zone and the tutor's), where, and
 * ways to put it in a calendar. Only the student who booked it and staff see it (the collection's access rules).
 */
export default async function BookedPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams])
  if (!isAppointmentId(id)) notFound()
  const [t, user, visitor, times] = await Promise.all([getTranslations('Booked'), currentUser(), visitorZone(query), timeText()])
  const appointment = await ownAppointment(user, id)
  if (!appointment) {
    const signIn = signInHrefs(`/booked/${id}`)
    return (
      <article className="grid max-w-2xl gap-4">
        <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
        <p data-testid="not-shown">{user ? t('notYours') : t('signInToSee')}</p>
        {user ? null : (
          <a className={link} href={signIn.login}>
            {t('signIn')}
          </a>
        )}
      </article>
    )
  }

  const tutor = appointment.tutor
  const profileZone = user?.collection === 'students' && isValidTimeZone(user.timeZone) ? user.timeZone : null
  const zone = visitor ?? profileZone ?? tutor.timeZone
  const start = Date.parse(appointment.start)
  const end = Date.parse(appointment.end)
  const location = appointment.meetingLocation?.trim()
  const booked = isBooked(appointment.status)
  const event = await calendarEventOf(appointment)
  return (
    <article className="grid max-w-2xl gap-5">
      <h1 className="text-3xl font-bold tracking-tight text-slate-900" data-testid="booked-title">
        {booked ? t('title') : t('notBookedTitle')}
      </h1>
      {booked ? <p>{t('mailSent')}</p> : null}
      <dl data-testid="booked" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-xl border border-slate-200 bg-white p-4">
        <dt className="font-medium text-slate-700">{t('what')}</dt>
        <dd>{t('whatValue', { minutes: sessionMinutes(appointment.start, appointment.end), tutor: tutor.name })}</dd>
        <dt className="font-medium text-slate-700">{t('when')}</dt>
        <dd className="grid gap-1">
          <span data-testid="when-student">{t('yourTime', { when: times.when(start, zone), end: times.time(end, zone), zone })}</span>
          <span data-testid="when-tutor" className="text-sm text-slate-700">
            {t('tutorTime', { when: times.when(start, tutor.timeZone), end: times.time(end, tutor.timeZone), zone: tutor.timeZone })}
          </span>
        </dd>
        <dt className="font-medium text-slate-700">{t('where')}</dt>
        <dd data-testid="where">
          {!location ? (
            t('whereUnknown')
          ) : /^https?:\/\//i.test(location) ? (
            <a className={`${link} break-all`} href={location} rel="noopener noreferrer">
              {location}
            </a>
          ) : (
            location
          )}
        </dd>
        {appointment.notes ? (
          <>
            <dt className="font-medium text-slate-700">{t('note')}</dt>
            <dd className="whitespace-pre-line">{appointment.notes}</dd>
          </>
        ) : null}
      </dl>
      {booked ? (
        <section aria-labelledby="add-to-calendar" className="grid gap-2">
          <h2 id="add-to-calendar" className="text-lg font-semibold">
            {t('addToCalendar')}
          </h2>
          <p className="flex flex-wrap gap-2">
            <a className={button} href={`/booked/${id}/calendar.ics`} download data-testid="ics-link">
              {t('downloadIcs')}
            </a>
            <a className={button} href={googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer" data-testid="google-link">
              {t('google')} <span className="sr-only">{t('newTab')}</span>
            </a>
            <a className={button} href={outlookCalendarUrl(event)} target="_blank" rel="noopener noreferrer" data-testid="outlook-link">
              {t('outlook')} <span className="sr-only">{t('newTab')}</span>
            </a>
          </p>
        </section>
      ) : null}
      <a className={link} href={`/bookings/${id}`} data-testid="manage-link">
        {t('manage')}
      </a>
    </article>
  )
}
