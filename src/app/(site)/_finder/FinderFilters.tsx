import { getTranslations } from 'next-intl/server'

import { SUBJECTS } from '../../../catalog/subjects'
import type { FinderQuery } from './findTutors'

const field = 'w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600'

/** A plain GET form: works before (and without) any JavaScript, and the address can be shared. */
export async function FinderFilters({ query }: { query: FinderQuery }) {
  const t = await getTranslations('Finder')
  const subjectName = await getTranslations('Subjects')
  return (
    <form role="search" aria-label={t('filtersLabel')} method="get" action="/" className="grid gap-3 sm:grid-cols-[1fr_14rem_auto] sm:items-end">
      <label className="grid gap-1 text-sm font-medium text-slate-700">
        {t('searchLabel')}
        <input type="search" name="q" defaultValue={query.q} placeholder={t('searchPlaceholder')} maxLength={100} className={field} />
      </label>
      <label className="grid gap-1 text-sm font-medium text-slate-700">
        {t('subjectLabel')}
        <select name="subject" defaultValue={query.subject ?? ''} className={field}>
          <option value="">{t('allSubjects')}</option>
          {SUBJECTS.map((subject) => (
            <option key={subject.value} value={subject.value}>
              {subjectName(subject.value)}
            </option>
          ))}
        </select>
      </label>
      {/* Keeps a zone given in the address across searches. */}
      {query.visitorZone ? <input type="hidden" name="tz" value={query.visitorZone} /> : null}
      <button type="submit" className="rounded-lg bg-brand-700 px-5 py-2 text-base font-semibold text-white hover:bg-brand-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
        {t('submit')}
      </button>
    </form>
  )
}
