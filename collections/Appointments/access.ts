import type { Access, FieldAccess, PayloadRequest } from 'payload'

import { adminsAll, byRole, isAdminUser, isStudent, isTutorUser, isVerifiedStudent, tutorOwn, type RoleRule } from '../../src/access/roles'
import type { BookingErrorCode } from '../../src/booking/bookingErrors'

/** A student reaches the sessions they booked. */
export const studentsOwnAppointments: RoleRule = (req) => (isStudent(req) && req.user ? { student: { equals: req.user.id } } : undefined)

/** A tutor account reaches the sessions booked with its own tutor profile. */
export const tutorsOwnAppointments: RoleRule = tutorOwn('tutor')

/**
 * Admins read every appointment; a student only their own; a tutor the sessions booked with them. Editors read
 * none: they keep tutor profiles, and a session names its student (and their notes); the time a tutor is booked
 * reaches them as slots, not sessions.
 */
export const adminsOrOwnAppointments: Access = byRole(adminsAll, tutorsOwnAppointments, studentsOwnAppointments)

/** Admins change any session; a tutor their own (cancel, move, notes), through the same booking hooks. */
export const adminsOrTutorsOwnAppointments: Access = byRole(adminsAll, tutorsOwnAppointments)

/**
 * Who a session is with is not a tutor's to change: a tutor cannot hand a session to another tutor or student.
 * Payload drops a field write this refuses.
 */
export const notByTutors: FieldAccess = ({ req }) => !isTutorUser(req)

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
