import { cookies } from 'next/headers'
import { getTranslations } from 'next-intl/server'

import { FinderFilters } from './_finder/FinderFilters'
import { findTutors, readFinderQuery, ZONE_COOKIE } from './_finder/findTutors'
import { TutorCard } from './_finder/TutorCard'
import { ZoneDetector } from './_zone/ZoneDetector'
import { zoneParam } from './_zone/visitorZone'

export const dynamic = 'force-dynamic'

/** `/`: the tutor finder. Server-rendered; search and subject filter are a GET form, so no JavaScript is needed. */
export default async function FinderPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams
  const query = readFinderQuery(params, (await cookies()).get(ZONE_COOKIE)?.value)
  const [t, tutors] = await Promise.all([getTranslations('Finder'), findTutors(query)])
  const filtered = Boolean(query.q || query.subject)
  const clearHref = query.visitorZone ? `/?tz=${encodeURIComponent(query.visitorZone)}` : '/'
  return (
    <>
      <ZoneDetector chosen={zoneParam(params)} shown={query.visitorZone} rerender={false} />
      <div className="mb-6 grid gap-2">
        <h1 className="text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">{t('title')}</h1>
        <p className="text-slate-700">{t('intro')}</p>
      </div>
      <FinderFilters query={query} />
      <div className="mt-6 mb-4 flex flex-wrap items-baseline justify-between gap-2 text-sm text-slate-700">
        <p role="status" data-testid="result-count">
          {t('resultCount', { count: tutors.length })}
        </p>
        <p>{query.visitorZone ? t('zoneVisitor', { zone: query.visitorZone }) : t('zoneTutor')}</p>
        {filtered && tutors.length > 0 ? (
          <a href={clearHref} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
            {t('clearFilters')}
          </a>
        ) : null}
      </div>
      {tutors.length > 0 ? (
        <ul data-testid="tutor-list" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {tutors.map((tutor) => (
            <TutorCard key={tutor.id} tutor={tutor} visitorZone={query.visitorZone} />
          ))}
        </ul>
      ) : (
        <section data-testid="empty-state" aria-labelledby="empty-title" className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
          <h2 id="empty-title" className="text-xl font-semibold text-slate-900">
            {t('emptyTitle')}
          </h2>
          <p className="mt-2 text-slate-700">{filtered ? t('emptyBody') : t('emptyNoTutors')}</p>
          {filtered ? (
            <a href={clearHref} className="mt-4 inline-block rounded-lg bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-800">
              {t('showAll')}
            </a>
          ) : null}
        </section>
      )}
    </>
  )
}
