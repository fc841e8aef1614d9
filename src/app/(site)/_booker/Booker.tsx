import { getTranslations } from 'next-intl/server'

import { monthRange, noonOf } from '../../../scheduling'
import { ZonePicker } from '../_zone/ZonePicker'
import { BookerCalendar } from './BookerCalendar'
import type { BookableTutor } from './bookerData'
import { bookerHref, confirmHref } from './bookerUrls'
import type { BookerView } from './loadBooker'
import type { TimeText } from './timeText'

const link = 'font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900'

/**
 * The booker: the tutor's session lengths, a month calendar with the free days marked, and the chosen day's
 * times in the visitor's zone (named), each a link to the confirm step. Everything is in the server HTML.
 */
export async function Booker({ tutor, view, zone, zoneIsVisitors, chosenZone, times }: {
  tutor: BookableTutor
  view: BookerView
  zone: string
  zoneIsVisitors: boolean
  /** The zone named in the address (kept in links); null when it came from the cookie or is the tutor's. */
  chosenZone: string | null
  times: TimeText
}) {
  const [t, zoneText] = await Promise.all([getTranslations('Booker'), getTranslations('Zone')])
  const state = { duration: view.duration, tz: chosenZone, reschedule: view.reschedule }
  const monthName = (month: string) => new Intl.DateTimeFormat(times.locale, { month: 'long', year: 'numeric', timeZone: zone }).format(noonOf(`${month}-15`, zone))
  const monthLabel = monthName(view.month)
  return (
    <section aria-labelledby="book" className="grid gap-5">
      <h2 id="book" className="text-2xl font-semibold">
        {view.reschedule ? t('titleReschedule') : t('title')}
      </h2>

      <nav aria-label={t('lengthLabel')} className="grid gap-2">
        <p className="text-sm font-medium text-slate-700">{t('lengthLabel')}</p>
        <ul className="flex flex-wrap gap-2" data-testid="lengths">
          {tutor.sessionLengths.map((minutes) => {
            const current = minutes === view.duration
            return (
              <li key={minutes}>
                <a
                  href={bookerHref(tutor.slug, { ...state, duration: minutes, month: view.month })}
                  aria-current={current ? 'true' : undefined}
                  className={`inline-block rounded-lg border px-4 py-2 text-sm font-semibold ${current ? 'border-brand-700 bg-brand-700 text-white' : 'border-slate-300 bg-white text-slate-900 hover:border-brand-700'}`}
                >
                  {t('minutes', { minutes })}
                </a>
              </li>
            )
          })}
        </ul>
      </nav>

      <div className="grid gap-2 rounded-xl border border-slate-200 bg-white p-4">
        <p data-testid="zone-note" className="text-sm text-slate-700">
          {zoneIsVisitors ? zoneText('yours', { zone }) : zoneText('tutors', { zone })}
        </p>
        <ZonePicker
          action={`/tutors/${tutor.slug}`}
          zone={zone}
          keep={{ duration: String(view.duration), day: view.day ?? undefined, reschedule: view.reschedule ?? undefined }}
        />
      </div>

      <div className="grid gap-6 lg:grid-cols-[auto_1fr]">
        <div className="grid content-start gap-2">
          <p className="text-sm text-slate-700">{t('calendarHint')}</p>
          <div className="flex items-center justify-between gap-2 text-sm">
            {view.previousMonth ? (
              <a className={link} href={bookerHref(tutor.slug, { ...state, month: view.previousMonth })} aria-label={t('previousMonthOf', { month: monthName(view.previousMonth) })}>
                ← {t('previousMonth')}
              </a>
            ) : (
              <span />
            )}
            {view.nextMonth ? (
              <a className={link} href={bookerHref(tutor.slug, { ...state, month: view.nextMonth })} aria-label={t('nextMonthOf', { month: monthName(view.nextMonth) })} data-testid="next-month">
                {t('nextMonth')} →
              </a>
            ) : null}
          </div>
          <div data-testid="calendar" aria-label={t('calendarLabel', { month: monthLabel })} role="group">
            <BookerCalendar
              month={view.month}
              selected={view.day}
              freeDays={view.freeDays}
              today={view.today}
              locale={times.locale}
              baseHref={bookerHref(tutor.slug, state)}
              dayWords={{ today: t('dayToday'), selected: t('daySelected') }}
            />
          </div>
          {view.freeDays.length === 0 ? <p>{t('noTimesThisMonth')}</p> : null}
        </div>

        <div className="grid content-start gap-3" aria-live="polite">
          {view.day ? (
            <>
              <h3 className="text-lg font-semibold" data-testid="day-heading">
                {t('timesFor', { day: times.day(noonOf(view.day, zone), zone) })}
              </h3>
              <p className="text-sm text-slate-700">{t('timesZone', { zone, minutes: view.duration })}</p>
              {view.dayStarts.length ? (
                <ul data-testid="day-times" className="grid grid-cols-2 gap-2 sm:grid-cols-3">
                  {view.dayStarts.map((start) => (
                    <li key={start}>
                      <a
                        href={confirmHref(tutor.slug, { start, duration: view.duration, tz: chosenZone ?? (zoneIsVisitors ? zone : null), reschedule: view.reschedule })}
                        data-start={new Date(start).toISOString()}
                        className="block rounded-lg border border-brand-700 bg-white px-3 py-2 text-center font-semibold text-brand-800 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                      >
                        {times.time(start, zone)}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : (
                <p data-testid="no-times">{t('noTimesThatDay')}</p>
              )}
            </>
          ) : (
            <p>{t('pickDay')}</p>
          )}
        </div>
      </div>
    </section>
  )
}
