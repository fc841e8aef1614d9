import { getTranslations } from 'next-intl/server'

import { confirmHref } from './bookerUrls'
import type { TimeText } from './timeText'

/** The chosen time went meanwhile: say so, and offer the nearest free times (each a link to confirm it). */
export async function SlotGone({ slug, nearest, duration, zone, tz, reschedule, times, backHref }: {
  slug: string
  nearest: number[]
  duration: number
  zone: string
  tz: string | null
  reschedule: string | null
  times: TimeText
  backHref: string
}) {
  const t = await getTranslations('Booker')
  return (
    <section aria-labelledby="slot-gone" data-testid="slot-gone" className="grid gap-3 rounded-xl border border-amber-300 bg-amber-50 p-4">
      <div role="alert">
        <h2 id="slot-gone" className="text-lg font-semibold text-slate-900">
          {t('taken')}
        </h2>
      </div>
      {nearest.length ? (
        <ul data-testid="nearest-times" className="grid gap-2">
          {nearest.map((start) => (
            <li key={start}>
              <a href={confirmHref(slug, { start, duration, tz, reschedule })} data-start={new Date(start).toISOString()} className="font-medium text-brand-700 underline underline-offset-2">
                {t('inZone', { when: times.when(start, zone), zone })}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('noneNearby')}</p>
      )}
      <a href={backHref} className="font-medium text-brand-700 underline underline-offset-2">
        {t('backToCalendar')}
      </a>
    </section>
  )
}
