import type { CollectionBeforeChangeHook } from 'payload'

import { isOfficeStaff } from '../../src/access/roles'
import { candidateFrom, reserveAppointmentTime } from '../../src/booking/reserveAppointmentTime'
import { bookingWriteOf, writeKey } from '../../src/booking/writeContext'
import { changedFields, isActiveStatus } from '../../src/scheduling'

const TIME_FIELDS = ['tutor', 'student', 'start', 'end'] as const

/**
 * Every write that books time (create, a move, a change of tutor or student, re-activating a cancelled
 * session), from REST, GraphQL, the admin panel or the Local API, passes the same scheduling rules and
 * claims its time before it is saved. Staff may book outside weekly hours, notice and the tutor's grid of
 * offered start times, never into an overlap (the rules: src/scheduling, applied by reserveAppointmentTime).
 */
export const enforceBookingRules: CollectionBeforeChangeHook = async ({ data, originalDoc, operation, req }) => {
  const nextStatus = data.status ?? originalDoc?.status
  const bookingKey = originalDoc?.bookingKey
  if (!isActiveStatus(nextStatus)) {
    return { ...data, bookingKey: bookingKey ?? undefined }
  }
  const becameActive = operation === 'update' && !isActiveStatus(originalDoc?.status)
  const movedOrReassigned =
    operation === 'create' ||
    changedFields(
      originalDoc,
      data,
      TIME_FIELDS.filter((field) => field in data),
    ).length > 0
  if (!becameActive && !movedOrReassigned) return { ...data, bookingKey }

  // Server code with no user (seeding, maintenance) is trusted like staff. A tutor moving their own session gets
  // no override: the session stays inside their published hours, notice and grid, as a student's booking would.
  const staffOverride = isOfficeStaff(req) || (req.payloadAPI === 'local' && !req.user)
  const { tutor, student, ...reserved } = await reserveAppointmentTime(candidateFrom(data, operation === 'update' ? originalDoc : undefined), {
    req,
    staffOverride,
  })
  Object.assign(bookingWriteOf(req, writeKey(operation, originalDoc)), { tutor, student, reserved })
  return { ...data, bookingKey: reserved.holder }
}
