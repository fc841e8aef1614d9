import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'

import { freeCancellationUntil, isValidTimeZone } from '../../../../../scheduling'
import { findBookableTutor, slotStillFree } from '../../../_booker/bookerData'
import { bookerHref, confirmHref, isAppointmentId, signInHrefs } from '../../../_booker/bookerUrls'
import { ConfirmForm } from '../../../_booker/ConfirmForm'
import { firstOf, type SearchParams } from '../../../_booker/loadBooker'
import { currentUser, ownAppointment } from '../../../_booker/ownAppointment'
import { RescheduleNote } from '../../../_booker/RescheduleNote'
import { SlotGone } from '../../../_booker/SlotGone'
import { timeText } from '../../../_booker/timeText'
import { ZoneDetector } from '../../../_zone/ZoneDetector'
import { visitorZone, zoneParam } from '../../../_zone/visitorZone'

export const dynamic = 'force-dynamic'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Booker'), getTranslations('Site')])
  return { title: `${t('confirmTitle')} — ${site('productName')}` }
}

const link = 'font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900'

/**
 * `/tutors/<slug>/confirm?start=<ISO>&duration=<min>[&tz=][&reschedule=<id>]`: the chosen time in the
 * student's zone with the tutor's beside it, the length, how they meet and the cancellation rule, then the
 * booking (or a way to sign in first). A time that has gone meanwhile shows the nearest free ones.
 */
export default async function ConfirmPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> }) {
  const [{ slug }, query] = await Promise.all([params, searchParams])
  const tutor = await findBookableTutor(slug)
  if (!tutor) notFound()
  const [t, tutorText, user, visitor, times] = await Promise.all([getTranslations('Booker'), getTranslations('Tutor'), currentUser(), visitorZone(query), timeText()])
  const profileZone = user?.collection === 'students' && isValidTimeZone(user.timeZone) ? user.timeZone : null
  const zone = visitor ?? profileZone ?? tutor.timeZone
  const chosenZone = zoneParam(query)
  const reschedule = isAppointmentId(firstOf(query.reschedule)) ? firstOf(query.reschedule) : null
  const startText = firstOf(query.start)
  const start = /^\d{4}-\d{2}-\d{2}T/.test(startText) ? Date.parse(startText) : NaN
  const duration = Number(firstOf(query.duration))
  const backHref = bookerHref(tutor.slug, { duration: tutor.sessionLengths.includes(duration) ? duration : undefined, tz: chosenZone, reschedule })

  if (!Number.isFinite(start) || !tutor.sessionLengths.includes(duration)) {
    return (
      <article className="grid max-w-2xl gap-4">
        <h1 className="text-3xl font-bold tracking-tight">{t('confirmTitle')}</h1>
        <p data-testid="invalid-time">{t('invalidTime')}</p>
        <a className={link} href={backHref}>
          {t('backToCalendar')}
        </a>
      </article>
    )
  }

  const [{ free, nearest }, moving] = await Promise.all([slotStillFree(tutor.id, duration, start), reschedule ? ownAppointment(user, reschedule) : null])
  const here = confirmHref(tutor.slug, { start, duration, tz: chosenZone, reschedule })
  const end = start + duration * 60_000
  const deadline = freeCancellationUntil(start, tutor.policy)
  const meeting = { video: tutorText('meetVideo'), place: tutorText('meetPlace'), none: tutorText('meetNone') }[tutor.meetingKind]
  const signIn = signInHrefs(here)
  return (
    <article className="grid max-w-2xl gap-5">
      <ZoneDetector chosen={chosenZone} shown={visitor ?? profileZone} />
      <a className={`text-sm ${link}`} href={backHref}>
        {t('backToCalendar')}
      </a>
      <h1 className="text-3xl font-bold tracking-tight text-slate-900">{reschedule ? t('rescheduleTitle') : t('confirmTitle')}</h1>
      {reschedule ? <RescheduleNote appointment={moving} zone={zone} times={times} /> : null}
      <dl data-testid="summary" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-xl border border-slate-200 bg-white p-4">
        <dt className="font-medium text-slate-700">{t('tutor')}</dt>
        <dd>{tutor.name}</dd>
        <dt className="font-medium text-slate-700">{t('when')}</dt>
        <dd className="grid gap-1">
          <span data-testid="when-student">{t('yourTime', { when: times.when(start, zone), end: times.time(end, zone), zone })}</span>
          <span data-testid="when-tutor" className="text-sm text-slate-700">
            {t('tutorTime', { when: times.when(start, tutor.timeZone), end: times.time(end, tutor.timeZone), zone: tutor.timeZone })}
          </span>
        </dd>
        <dt className="font-medium text-slate-700">{t('length')}</dt>
        <dd>{t('lengthValue', { minutes: duration })}</dd>
        <dt className="font-medium text-slate-700">{t('where')}</dt>
        <dd>{meeting}</dd>
      </dl>

      {free ? (
        <>
          <p data-testid="cancellation-policy" className="font-medium">
            {deadline > Date.now() ? t('freeCancellation', { when: times.when(deadline, zone), zone }) : t('noFreeCancellation', { hours: tutor.policy.cancellationCutoffHours })}
          </p>
          {!user ? (
            <section aria-labelledby="sign-in" className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4">
              <h2 id="sign-in" className="text-lg font-semibold">
                {t('signInTitle')}
              </h2>
              <p>{t('signInFirst')}</p>
              <p className="flex flex-wrap gap-3">
                <a href={signIn.login} data-testid="login-link" className="rounded-lg bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-800">
                  {t('signIn')}
                </a>
                <a href={signIn.register} data-testid="register-link" className="rounded-lg border border-brand-700 px-5 py-2 font-semibold text-brand-800 hover:bg-brand-50">
                  {t('register')}
                </a>
              </p>
            </section>
          ) : user.collection !== 'students' ? (
            <p>{t('staffBooks')}</p>
          ) : (
            <ConfirmForm
              tutorId={tutor.id}
              start={new Date(start).toISOString()}
              duration={duration}
              reschedule={reschedule}
              tz={chosenZone ?? zone}
              text={{
                note: t('note'),
                noteHint: t('noteHint'),
                book: t('book'),
                booking: t('booking'),
                move: t('move'),
                moving: t('moving'),
                failed: t.raw('failed') as string,
                offline: t('offline'),
              }}
            />
          )}
        </>
      ) : (
        <SlotGone slug={tutor.slug} nearest={nearest} duration={duration} zone={zone} tz={chosenZone} reschedule={reschedule} times={times} backHref={backHref} />
      )}
    </article>
  )
}
