import { getFormatter, getTranslations } from 'next-intl/server'

import { RATE_CURRENCY } from '../_finder/TutorCard'
import type { BookableTutor } from './bookerData'

/** Who the tutor is: public fields only; where they meet is given as a kind (video or in person), never the place. */
export async function TutorProfile({ tutor }: { tutor: BookableTutor }) {
  const [t, subjectName, format] = await Promise.all([getTranslations('Tutor'), getTranslations('Subjects'), getFormatter()])
  const meeting = { video: t('meetVideo'), place: t('meetPlace'), none: t('meetNone') }[tutor.meetingKind]
  return (
    <>
      <header className="grid gap-1">
        <h1 className="text-3xl font-bold tracking-tight text-slate-900">{tutor.name}</h1>
      </header>
      <dl data-testid="tutor-facts" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:text-base">
        <dt className="font-medium text-slate-700">{t('subjects')}</dt>
        <dd>{tutor.subjects.map((subject) => subjectName(subject)).join(', ')}</dd>
        <dt className="font-medium text-slate-700">{t('rate')}</dt>
        <dd>{tutor.hourlyRate === null ? t('rateUnknown') : t('ratePerHour', { rate: format.number(tutor.hourlyRate, { style: 'currency', currency: RATE_CURRENCY, maximumFractionDigits: 0 }) })}</dd>
        <dt className="font-medium text-slate-700">{t('meets')}</dt>
        <dd data-testid="meeting-kind">{meeting}</dd>
        <dt className="font-medium text-slate-700">{t('timeZone')}</dt>
        <dd>{tutor.timeZone}</dd>
      </dl>
      {tutor.bio ? (
        <section aria-labelledby="about" className="grid gap-2">
          <h2 id="about" className="text-xl font-semibold">
            {t('about')}
          </h2>
          <p className="whitespace-pre-line text-slate-800">{tutor.bio}</p>
        </section>
      ) : null}
    </>
  )
}
