import type { CollectionBeforeChangeHook } from 'payload'

import { isStaff } from '../../src/access/roles'
import { candidateFrom, isActiveStatus, reserveAppointmentTime } from '../../src/booking/reserveAppointmentTime'

const TIME_FIELDS = ['tutor', 'student', 'start', 'end'] as const

const refOf = (value: unknown) => (value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : value == null ? value : String(value))

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
    TIME_FIELDS.some((field) => field in data && refOf(data[field]) !== refOf(originalDoc?.[field]) && !sameInstant(data[field], originalDoc?.[field]))
  if (!becameActive && !movedOrReassigned) return { ...data, bookingKey }

  // Server code with no user (seeding, maintenance) is trusted like staff.
  const staffOverride = isStaff(req) || (req.payloadAPI === 'local' && !req.user)
  const reserved = await reserveAppointmentTime(candidateFrom(data, operation === 'update' ? originalDoc : undefined), {
    req,
    staffOverride,
  })
  // Set on req.context after the nested Local API reads: Payload replaces an empty req.context on each
  // nested call, so a reference taken earlier would not reach the afterChange hook.
  req.context.reservedTime = reserved
  return { ...data, bookingKey: reserved.holder }
}

function sameInstant(a: unknown, b: unknown): boolean {
  if (a == null || b == null) return false
  const left = Date.parse(String(a))
  const right = Date.parse(String(b))
  return Number.isFinite(left) && left === right
}
