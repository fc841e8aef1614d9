import { notFound } from 'next/navigation'
import { getLocale, getTranslations } from 'next-intl/server'

import { MAX_TUTOR_MESSAGE_LENGTH } from '../../../../booking/tutorMessage'
import { dateTimeIn, rangeIn } from '../../../../i18n/times'
import { asStudent, type BookingView, loadBooking, signedIn } from '../_data/studentBookings'
import { CancelBookingButton } from './CancelBookingButton'
import { MessageTutorForm } from './MessageTutorForm'
import { SignInForm } from './SignInForm'

export const dynamic = 'force-dynamic'
export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Booking'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

const panel = 'rounded-xl border border-slate-200 bg-white p-5 shadow-sm'

/**
 * Where every appointment email's "Manage your booking" link lands (src/email/appointmentMail.ts), and where My
 * bookings links. The student who booked sees it in their zone and may cancel or reschedule until the tutor's
 * cut-off; after it, they may message the tutor (never shown the tutor's address). Staff see it read-only.
 */
export default async function ManageBookingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  if (!/^[0-9a-f]{24}$/.test(id)) notFound()
  const [person, t, signIn, locale] = await Promise.all([signedIn(), getTranslations('Booking'), getTranslations('SignIn'), getLocale()])
  const booking = person ? await loadBooking(person, id) : null

  if (!person || !booking) {
    return (
      <>
        <h1>{t('title')}</h1>
        <p>{person ? t('notYours') : t('signInToSee')}</p>
        <SignInForm
          text={{ email: signIn('email'), password: signIn('password'), submit: signIn('submit'), sending: signIn('sending'), failed: signIn.raw('failed') as string }}
        />
      </>
    )
  }

  const student = asStudent(person)
  const timeZone = student?.timeZone ?? booking.tutor.timeZone
  const tutorName = booking.tutor.name || t('yourTutor')
  const statusLabel = { booked: t('booked'), cancelled: t('cancelled'), completed: t('completed'), no_show: t('noShow') }[booking.status]
  return (
    <div className="grid max-w-2xl gap-6">
      <div>
        <h1 className="text-3xl font-bold tracking-tight text-slate-900">{t('title')}</h1>
        {student ? (
          <a href="/bookings" className="text-brand-700 underline underline-offset-2 hover:text-brand-900">
            {t('backToList')}
          </a>
        ) : null}
      </div>
      <dl data-testid="booking" className={`${panel} grid grid-cols-[auto_1fr] gap-x-4 gap-y-2`}>
        <dt className="text-slate-600">{t('when')}</dt>
        <dd className="font-semibold">{t('whenInZone', { range: rangeIn(locale, booking.start, booking.end, timeZone), zone: timeZone })}</dd>
        <dt className="text-slate-600">{t('tutor')}</dt>
        <dd>{booking.tutor.slug ? <a href={`/tutors/${booking.tutor.slug}`}>{tutorName}</a> : tutorName}</dd>
        {booking.place ? (
          <>
            <dt className="text-slate-600">{t('where')}</dt>
            <dd className="break-all">{/^https?:\/\//i.test(booking.place) ? <a href={booking.place}>{booking.place}</a> : booking.place}</dd>
          </>
        ) : null}
        {booking.notes ? (
          <>
            <dt className="text-slate-600">{t('notes')}</dt>
            <dd className="whitespace-pre-wrap">{booking.notes}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">{t('status')}</dt>
        <dd data-testid="booking-status">{statusLabel}</dd>
        {booking.status === 'cancelled' && booking.cancellationReason ? (
          <>
            <dt className="text-slate-600">{t('cancelReason')}</dt>
            <dd>{booking.cancellationReason}</dd>
          </>
        ) : null}
      </dl>
      <p className="text-sm text-slate-700">{t('timesIn', { zone: timeZone })}</p>
      {student ? <StudentActions booking={booking} tutorName={tutorName} timeZone={timeZone} locale={locale} /> : <p>{t('staffNote')}</p>}
    </div>
  )
}

/** Cancel and reschedule before the cut-off; after it, why not and a message to the tutor instead. */
async function StudentActions({ booking, tutorName, timeZone, locale }: { booking: BookingView; tutorName: string; timeZone: string; locale: string }) {
  const t = await getTranslations('Booking')
  if (!booking.upcoming) return booking.status === 'booked' ? <p>{t('pastSession')}</p> : null
  const deadline = dateTimeIn(locale, booking.changeableUntil, timeZone)
  if (booking.changeable) {
    return (
      <section className={`${panel} grid gap-4`} data-testid="booking-actions">
        <p className="m-0">{t('changeUntil', { deadline, zone: timeZone, hours: booking.cutoffHours })}</p>
        {booking.tutor.slug ? (
          <div className="grid gap-1">
            <a
              href={`/tutors/${booking.tutor.slug}?reschedule=${booking.id}`}
              className="w-fit rounded-lg border border-brand-700 px-4 py-2 font-semibold text-brand-700 hover:bg-brand-50"
            >
              {t('reschedule')}
            </a>
            <p className="m-0 text-sm text-slate-700">{t('rescheduleHint', { tutor: tutorName })}</p>
          </div>
        ) : null}
        <CancelBookingButton appointmentId={booking.id} text={{ reason: t('reason'), cancel: t('cancel'), cancelling: t('cancelling'), failed: t.raw('cancelFailed') as string }} />
      </section>
    )
  }
  const started = booking.start <= Date.now()
  return (
    <section className={`${panel} grid gap-3`} aria-labelledby="message-title" data-testid="booking-locked">
      <p className="m-0" data-testid="cutoff-explanation">
        {started ? t('startedNoChange', { tutor: tutorName }) : t('cutoffPassed', { tutor: tutorName, hours: booking.cutoffHours, deadline, zone: timeZone })}
      </p>
      <h2 id="message-title" className="text-lg font-semibold">
        {t('messageTitle', { tutor: tutorName })}
      </h2>
      <MessageTutorForm
        appointmentId={booking.id}
        maxLength={MAX_TUTOR_MESSAGE_LENGTH}
        text={{
          label: t('messageLabel'),
          hint: t('messageHint', { max: MAX_TUTOR_MESSAGE_LENGTH, tutor: tutorName }),
          send: t('messageSend'),
          sending: t('messageSending'),
          failed: t.raw('messageFailed') as string,
        }}
      />
    </section>
  )
}
