import { redirect } from 'next/navigation'
import { getLocale, getTranslations } from 'next-intl/server'

import { asStudent, loadStudentBookings, signedIn } from './_data/studentBookings'
import { BookingList } from './_parts/BookingList'

export const dynamic = 'force-dynamic'
export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Bookings'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

/** `/bookings`: the signed-in student's sessions, upcoming and past, in their own zone. Others sign in first. */
export default async function MyBookingsPage() {
  const student = asStudent(await signedIn())
  if (!student) redirect('/login?next=/bookings')
  const [t, locale, bookings] = await Promise.all([getTranslations('Bookings'), getLocale(), loadStudentBookings(student)])
  const none = bookings.upcoming.length === 0 && bookings.past.length === 0
  return (
    <>
      <div className="mb-6 grid gap-2">
        <h1 className="text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">{t('title')}</h1>
        <p className="text-slate-700">{t('intro', { zone: student.timeZone })}</p>
      </div>
      {none ? (
        <section data-testid="bookings-empty" aria-labelledby="empty-title" className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
          <h2 id="empty-title" className="text-xl font-semibold text-slate-900">
            {t('emptyTitle')}
          </h2>
          <p className="mt-2 text-slate-700">{t('emptyBody')}</p>
          <a href="/" className="mt-4 inline-block rounded-lg bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-800">
            {t('findTutor')}
          </a>
        </section>
      ) : (
        <div className="grid gap-8">
          <BookingList id="upcoming" title={t('upcoming')} empty={t('noUpcoming')} bookings={bookings.upcoming} timeZone={student.timeZone} locale={locale} />
          <BookingList id="past" title={t('past')} empty={t('noPast')} bookings={bookings.past} timeZone={student.timeZone} locale={locale} />
        </div>
      )}
    </>
  )
}
