import { getTranslations } from 'next-intl/server'

import { dateTimeIn, rangeIn } from '../../../../i18n/times'
import type { BookingView } from '../_data/studentBookings'

const statusStyle: Record<string, string> = {
  booked: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  cancelled: 'bg-rose-50 text-rose-800 ring-rose-200',
  over: 'bg-slate-100 text-slate-700 ring-slate-200',
}

/** One section of My bookings (upcoming, or past and cancelled). */
export async function BookingList(props: { id: string; title: string; empty: string; bookings: BookingView[]; timeZone: string; locale: string }) {
  return (
    <section aria-labelledby={`${props.id}-title`} data-testid={`bookings-${props.id}`}>
      <h2 id={`${props.id}-title`} className="mb-3 text-xl font-semibold text-slate-900">
        {props.title}
      </h2>
      {props.bookings.length === 0 ? (
        <p className="text-slate-700">{props.empty}</p>
      ) : (
        <ul className="grid gap-3">
          {props.bookings.map((booking) => (
            <BookingItem key={booking.id} booking={booking} timeZone={props.timeZone} locale={props.locale} />
          ))}
        </ul>
      )}
    </section>
  )
}

async function BookingItem({ booking, timeZone, locale }: { booking: BookingView; timeZone: string; locale: string }) {
  const t = await getTranslations('Bookings')
  const range = rangeIn(locale, booking.start, booking.end, timeZone)
  const when = t('whenInZone', { range, zone: timeZone })
  const state = booking.status === 'cancelled' ? 'cancelled' : booking.upcoming ? 'booked' : 'over'
  const stateLabel =
    booking.status === 'cancelled' ? t('cancelled') : booking.status === 'completed' ? t('completed') : booking.status === 'no_show' ? t('noShow') : booking.upcoming ? t('booked') : t('over')
  const tutorLink = booking.tutor.slug ? `/tutors/${booking.tutor.slug}` : null
  return (
    <li data-testid="booking-item" className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-center sm:justify-between">
      <div className="grid gap-1">
        <p className="m-0 font-semibold text-slate-900" data-testid="booking-when">
          {when}
        </p>
        <p className="m-0 text-slate-700">
          {tutorLink ? (
            <a href={tutorLink} className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
              {t('withTutor', { tutor: booking.tutor.name })}
            </a>
          ) : (
            t('withTutor', { tutor: booking.tutor.name })
          )}
        </p>
        {booking.place ? (
          <p className="m-0 text-sm break-all text-slate-700">
            {t('where')}: {booking.place}
          </p>
        ) : null}
        {booking.upcoming ? (
          <p className="m-0 text-sm text-slate-700">
            {booking.changeable ? t('changeUntil', { deadline: `${dateTimeIn(locale, booking.changeableUntil, timeZone)} (${timeZone})` }) : t('locked')}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded-full px-2.5 py-0.5 text-sm font-medium ring-1 ${statusStyle[state]}`}>{stateLabel}</span>
        {booking.upcoming && booking.changeable && booking.tutor.slug ? (
          <a
            href={`/tutors/${booking.tutor.slug}?reschedule=${booking.id}`}
            aria-label={t('rescheduleLabel', { tutor: booking.tutor.name, when })}
            className="rounded-lg border border-brand-700 px-3 py-1.5 text-sm font-semibold text-brand-700 hover:bg-brand-50"
          >
            {t('reschedule')}
          </a>
        ) : null}
        <a
          href={`/bookings/${booking.id}`}
          aria-label={t('manageLabel', { tutor: booking.tutor.name, when })}
          className="rounded-lg bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800"
        >
          {t('manage')}
        </a>
      </div>
    </li>
  )
}
