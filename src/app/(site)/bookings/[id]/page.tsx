import config from '@payload-config'
import { headers as requestHeaders } from 'next/headers'
import { notFound } from 'next/navigation'
import { getPayload } from 'payload'

import { isBooked } from '../../../../scheduling/appointment'
import { formatLocalRange } from '../../../../scheduling/format'
import { CancelBookingButton } from './CancelBookingButton'
import { SignInForm } from './SignInForm'

export const dynamic = 'force-dynamic'
export const metadata = { title: 'Your booking — TutorTrack' }

type Named = { name?: string | null; timeZone?: string | null }

/**
 * Where every appointment email's "Manage your booking" link lands (src/email/appointmentMail.ts). Shown to
 * the student who booked it and to staff, read with their own access rules; anyone else is asked to sign in.
 */
export default async function ManageBookingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  if (!/^[0-9a-f]{24}$/.test(id)) notFound()
  const payload = await getPayload({ config })
  const { user } = await payload.auth({ headers: await requestHeaders() })
  const appointment = user
    ? await payload.findByID({ collection: 'appointments', id, depth: 1, user, overrideAccess: false, disableErrors: true }).catch(() => null)
    : null

  if (!appointment) {
    return (
      <>
        <h1>Your booking</h1>
        <p>
          {user
            ? 'This booking is not in the account you are signed in with. Sign in as the student who booked it.'
            : 'Sign in with the student account this session was booked with to see and manage it. Tutors: the details are in your email, and TutorTrack staff can change the session for you.'}
        </p>
        <SignInForm />
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
      <h1>Your booking</h1>
      <dl data-testid="booking">
        <dt>When</dt>
        <dd>{formatLocalRange(start, end, timeZone)}</dd>
        <dt>Tutor</dt>
        <dd>{tutor?.name ?? 'Your tutor'}</dd>
        {location ? (
          <>
            <dt>Where</dt>
            <dd>{/^https?:\/\//i.test(location) ? <a href={location}>{location}</a> : location}</dd>
          </>
        ) : null}
        <dt>Status</dt>
        <dd data-testid="booking-status">{appointment.status === 'cancelled' ? 'Cancelled' : isBooked(appointment.status) ? 'Booked' : appointment.status}</dd>
      </dl>
      <p>Times are shown in {timeZone}.</p>
      {isBooked(appointment.status) && start > Date.now() ? <CancelBookingButton appointmentId={id} /> : null}
    </>
  )
}
