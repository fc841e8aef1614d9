import type { Access, PayloadRequest } from 'payload'

import { isAdminUser, isStaff, isStudent, isVerifiedStudent } from '../../src/access/roles'
import type { BookingErrorCode } from '../../src/booking/bookingErrors'

/** Staff read every appointment; a student reads only their own. */
export const staffOrOwnAppointments: Access = ({ req }) => {
  if (isStaff(req)) return true
  if (isStudent(req) && req.user) return { student: { equals: req.user.id } }
  return false
}

export type BookingRefusal = { code: BookingErrorCode; message: string }

/** Why this caller may not book for themself as a student; null when they may (a verified student). */
export function studentBookingRefusal(req: Pick<PayloadRequest, 'user'>): BookingRefusal | null {
  if (!req.user) return { code: 'UNAUTHENTICATED', message: 'Log in as a student to book a session.' }
  if (!isStudent(req)) return { code: 'FORBIDDEN', message: 'Only students can book sessions here.' }
  if (!isVerifiedStudent(req)) {
    return { code: 'EMAIL_NOT_VERIFIED', message: 'Verify your email address before booking: use the link we emailed you.' }
  }
  return null
}

/** Verified students book for themselves; admins book for anyone. */
export const verifiedStudentsAndAdmins: Access = ({ req }) => isAdminUser(req) || studentBookingRefusal(req) === null
