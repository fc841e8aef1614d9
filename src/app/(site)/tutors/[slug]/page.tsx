import { cookies } from 'next/headers'
import { notFound } from 'next/navigation'
import { getFormatter, getTranslations } from 'next-intl/server'

import { findTutorBySlug, readFinderQuery, upcomingSlots, ZONE_COOKIE } from '../../_finder/findTutors'

export const dynamic = 'force-dynamic'

const MAX_TIMES = 12

/**
 * `/tutors/<slug>`, minimal for now: who the tutor is and their next free times (from the availability API's
 * answer), in the visitor's zone or the tutor's, named. The booker (calendar, confirm) is a later slice of #16.
 */
export default async function TutorPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params
  const tutor = /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) ? await findTutorBySlug(slug) : null
  if (!tutor) notFound()
  const { visitorZone } = readFinderQuery(await searchParams, (await cookies()).get(ZONE_COOKIE)?.value)
  const [t, finder, subjectName, format, slots] = await Promise.all([
    getTranslations('Tutor'),
    getTranslations('Finder'),
    getTranslations('Subjects'),
    getFormatter(),
    upcomingSlots(String(tutor.id)),
  ])
  const zone = visitorZone ?? tutor.timeZone
  const zoneLabel = visitorZone ? finder('visitorZoneLabel', { zone }) : finder('tutorZoneLabel', { zone })
  return (
    <article className="grid max-w-3xl gap-6">
      <a href={visitorZone ? `/?tz=${encodeURIComponent(visitorZone)}` : '/'} className="text-sm font-medium text-brand-700 underline underline-offset-2">
        {t('back')}
      </a>
      <header className="grid gap-1">
        <h1 className="text-3xl font-bold tracking-tight text-slate-900">{tutor.name}</h1>
        <p className="text-slate-700">{(tutor.subjects ?? []).map((subject) => subjectName(subject)).join(', ')}</p>
        <p className="text-sm text-slate-600">
          {finder('tutorZone')}: {tutor.timeZone}
        </p>
      </header>
      {tutor.bio ? (
        <section aria-labelledby="about" className="grid gap-2">
          <h2 id="about" className="text-xl font-semibold">{t('about')}</h2>
          <p className="whitespace-pre-line text-slate-800">{tutor.bio}</p>
        </section>
      ) : null}
      <section aria-labelledby="free-times" className="grid gap-3">
        <h2 id="free-times" className="text-xl font-semibold">{t('freeTimes')}</h2>
        <p className="text-sm text-slate-600">{t('showingIn', { zone: zoneLabel })}</p>
        {slots.length ? (
          <ul data-testid="free-times" className="flex flex-wrap gap-2">
            {slots.slice(0, MAX_TIMES).map((start) => (
              <li key={start} className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm">
                {format.dateTime(start, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' })}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('noFreeTimes')}</p>
        )}
        <p className="text-sm text-slate-600">{t('bookingSoon')}</p>
      </section>
    </article>
  )
}
