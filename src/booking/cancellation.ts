import type { PayloadRequest } from 'payload'

import { isStudent, isTutorUser } from '../access/roles'
import type { Appointment } from '../payload-types'
import { isBooked } from '../scheduling'

type Cancellation = NonNullable<Appointment['cancellation']>

/** Who a cancellation is recorded as: the student themself, the tutor themself, else staff (and server code acting for them). */
export const cancellerOf = (req: Pick<PayloadRequest, 'user'>): NonNullable<Cancellation['by']> =>
  isStudent(req) ? 'student' : isTutorUser(req) ? 'tutor' : 'admin'

/** Which account cancelled (collection and id), or nulls for server code with no user (a tutor's stranded hours run as the tutor's writer). */
const accountOf = (req: Pick<PayloadRequest, 'user'>): { userCollection: string | null; userId: string | null } =>
  req.user ? { userCollection: req.user.collection, userId: String(req.user.id) } : { userCollection: null, userId: null }

/** True when this write takes a booked session to cancelled (the endpoint, the status dropdown, a tutor's new hours). */
export const isCancelling = (data: Partial<Appointment>, originalDoc: Partial<Appointment> | undefined): boolean =>
  data.status === 'cancelled' && isBooked(originalDoc?.status)

/** Who, when and why, keeping what the writer gave (an admin may record that the tutor asked) and filling the rest. */
export function stampedCancellation(req: Pick<PayloadRequest, 'user'>, given: Cancellation | null | undefined, now = Date.now()): Cancellation {
  return {
    ...given,
    by: given?.by || cancellerOf(req),
    at: given?.at || new Date(now).toISOString(),
    reason: given?.reason ?? undefined,
    // The account is always the writer's: a role given in the body (an admin recording that the tutor asked) does
    // not change who pressed the button.
    ...accountOf(req),
  }
}

/**
 * The one way code cancels a session: an ordinary update to 'cancelled', so the appointment hooks stamp the
 * cancellation, free the claims and queue the cancellation mail exactly as for a cancel from the admin panel.
 */
export async function cancelAppointment(req: PayloadRequest, id: string | number, options: { reason?: string } = {}): Promise<Appointment> {
  return (await req.payload.update({
    collection: 'appointments',
    id,
    data: { status: 'cancelled', cancellation: { reason: options.reason } },
    depth: 0,
    overrideAccess: true,
    req,
  })) as Appointment
}
