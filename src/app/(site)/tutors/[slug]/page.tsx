import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'

import { Booker } from '../../_booker/Booker'
import { findBookableTutor } from '../../_booker/bookerData'
import { loadBookerView, type SearchParams } from '../../_booker/loadBooker'
import { currentUser, ownAppointment } from '../../_booker/ownAppointment'
import { RescheduleNote } from '../../_booker/RescheduleNote'
import { timeText } from '../../_booker/timeText'
import { TutorProfile } from '../../_booker/TutorProfile'
import { ZoneDetector } from '../../_zone/ZoneDetector'
import { visitorZone, zoneParam } from '../../_zone/visitorZone'

export const dynamic = 'force-dynamic'

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const [tutor, site] = await Promise.all([findBookableTutor((await params).slug), getTranslations('Site')])
  return { title: tutor ? `${tutor.name} — ${site('productName')}` : site('productName') }
}

/**
 * `/tutors/<slug>`: the tutor's profile and the booker. State lives in the address (?duration, month, day,
 * tz, reschedule) so the server HTML already holds the chosen day's real slots, and every step is a link.
 */
export default async function TutorPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> }) {
  const [{ slug }, query] = await Promise.all([params, searchParams])
  const tutor = await findBookableTutor(slug)
  if (!tutor) notFound()
  const visitor = await visitorZone(query)
  const zone = visitor ?? tutor.timeZone
  const [t, view, times] = await Promise.all([getTranslations('Tutor'), loadBookerView(tutor, query, zone), timeText()])
  const moving = view.reschedule ? await ownAppointment(await currentUser(), view.reschedule) : null
  return (
    <article className="grid gap-6">
      <ZoneDetector chosen={zoneParam(query)} shown={visitor} />
      <a href={visitor ? `/?tz=${encodeURIComponent(visitor)}` : '/'} className="text-sm font-medium text-brand-700 underline underline-offset-2">
        {t('back')}
      </a>
      <div className="grid max-w-3xl gap-4">
        <TutorProfile tutor={tutor} />
      </div>
      {view.reschedule ? <RescheduleNote appointment={moving} zone={zone} times={times} /> : null}
      <Booker tutor={tutor} view={view} zone={zone} zoneIsVisitors={visitor !== null} chosenZone={zoneParam(query)} times={times} />
    </article>
  )
}
