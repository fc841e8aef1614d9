import { getFormatter, getTranslations } from 'next-intl/server'

import { NEXT_FREE_SEARCH_DAYS, type TutorCardData } from './findTutors'

/** What hourly rates are shown in (the Tutors collection stores a plain number). */
export const RATE_CURRENCY = 'USD'

const initialsOf = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('')

function Avatar({ name, photoUrl }: { name: string; photoUrl: string | null }) {
  const frame = 'size-16 shrink-0 rounded-full'
  // The name is the card's heading beside it, so the picture itself is decorative.
  if (photoUrl) return <img src={photoUrl} alt="" referrerPolicy="no-referrer" loading="lazy" width={64} height={64} className={`${frame} object-cover`} />
  return (
    <span aria-hidden="true" className={`${frame} grid place-items-center bg-brand-100 text-lg font-semibold text-brand-800`}>
      {initialsOf(name)}
    </span>
  )
}

/** One tutor in the finder: who, what, how much, and when they are next free, in the visitor's zone. */
export async function TutorCard({ tutor, visitorZone }: { tutor: TutorCardData; visitorZone: string | null }) {
  const t = await getTranslations('Finder')
  const subjectName = await getTranslations('Subjects')
  const format = await getFormatter()
  const zone = visitorZone ?? tutor.timeZone
  const zoneLabel = visitorZone ? t('visitorZoneLabel', { zone }) : t('tutorZoneLabel', { zone })
  const when =
    tutor.nextFree === null
      ? t('nextFreeNone', { days: NEXT_FREE_SEARCH_DAYS })
      : t('whenInZone', {
          when: format.dateTime(tutor.nextFree, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }),
          zone: zoneLabel,
        })
  return (
    <li className="relative flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm transition hover:border-brand-400 hover:shadow-md focus-within:ring-2 focus-within:ring-brand-600">
      <div className="flex items-center gap-4">
        <Avatar name={tutor.name} photoUrl={tutor.photoUrl} />
        <h2 className="text-lg font-semibold text-slate-900">
          {/* The link covers the whole card (after:inset-0), so the card opens the tutor's page. */}
          <a href={`/tutors/${tutor.slug}`} className="after:absolute after:inset-0 after:rounded-xl focus-visible:outline-none" data-testid="tutor-link">
            {tutor.name}
          </a>
        </h2>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600">{t('subjects')}</dt>
        <dd className="text-slate-900">{tutor.subjects.map((subject) => subjectName(subject)).join(', ')}</dd>
        <dt className="text-slate-600">{t('rate')}</dt>
        <dd className="text-slate-900">
          {tutor.hourlyRate === null
            ? t('rateUnknown')
            : t('ratePerHour', { rate: format.number(tutor.hourlyRate, { style: 'currency', currency: RATE_CURRENCY, maximumFractionDigits: 0 }) })}
        </dd>
        <dt className="text-slate-600">{t('tutorZone')}</dt>
        <dd className="text-slate-900">{tutor.timeZone}</dd>
        <dt className="text-slate-600">{t('nextFree')}</dt>
        <dd className="font-medium text-brand-800" data-testid="next-free">
          {when}
        </dd>
      </dl>
    </li>
  )
}
