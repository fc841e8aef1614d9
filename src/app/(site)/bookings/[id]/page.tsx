import config from '@payload-config'
import { headers as requestHeaders } from 'next/headers'
import { notFound } from 'next/navigation'
import { getTranslations } from 'next-intl/server'
import { getPayload } from 'payload'

import { isBooked } from '../../../../scheduling/appointment'
import { formatLocalRange } from '../../../../scheduling/format'
import { CancelBookingButton } from './CancelBookingButton'
import { SignInForm } from './SignInForm'

export const dynamic = 'force-dynamic'
export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Booking'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

type Named = { name?: string | null; timeZone?: string | null }

/**
 * Where every appointment email's "Manage your booking" link lands (src/email/appointmentMail.ts). Shown to
 * the student who booked it and to staff, read with their own access rules; anyone else is asked to sign in.
 */
export default async function ManageBookingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  if (!/^[0-9a-f]{24}$/.test(id)) notFound()
  const [payload, t, signIn] = await Promise.all([getPayload({ config }), getTranslations('Booking'), getTranslations('SignIn')])
  const { user } = await payload.auth({ headers: await requestHeaders() })
  const appointment = user
    ? await payload.findByID({ collection: 'appointments', id, depth: 1, user, overrideAccess: false, disableErrors: true }).catch(() => null)
    : null

  if (!appointment) {
    return (
      <>
        <h1>{t('title')}</h1>
        <p>{user ? t('notYours') : t('signInToSee')}</p>
        <SignInForm
          text={{ email: signIn('email'), password: signIn('password'), submit: signIn('submit'), sending: signIn('sending'), failed: signIn.raw('failed') as string }}
        />
      </>
    )
  }

  const tutor = (typeof appointment.tutor === 'object' ? appointment.tutor : null) as Named | null
  const timeZone = (user as { timeZone?: string | null } | null)?.timeZone || tutor?.timeZone || 'UTC'
  const start = new Date(appointment.start).getTime()
  const end = new Date(appointment.end).getTime()
  const location = appointment.meetingLocation?.trim()
  return (
    <>
      <h1>{t('title')}</h1>
      <dl data-testid="booking">
        <dt>{t('when')}</dt>
        <dd>{formatLocalRange(start, end, timeZone)}</dd>
        <dt>{t('tutor')}</dt>
        <dd>{tutor?.name ?? t('yourTutor')}</dd>
        {location ? (
          <>
            <dt>{t('where')}</dt>
            <dd>{/^https?:\/\//i.test(location) ? <a href={location}>{location}</a> : location}</dd>
          </>
        ) : null}
        <dt>{t('status')}</dt>
        <dd data-testid="booking-status">{appointment.status === 'cancelled' ? t('cancelled') : isBooked(appointment.status) ? t('booked') : appointment.status}</dd>
      </dl>
      <p>{t('timesIn', { zone: timeZone })}</p>
      {isBooked(appointment.status) && start > Date.now() ? <CancelBookingButton appointmentId={id} text={{ reason: t('reason'), cancel: t('cancel'), cancelling: t('cancelling'), failed: t.raw('cancelFailed') as string }} /> : null}
    </>
  )
}
