import type { Payload, PayloadRequest } from 'payload'

import type { Interval } from '../scheduling'

export const ACTIVE_STATUS = 'booked'

/** Longest a session plus buffers can be: looking this far back catches every appointment that could overlap. */
const LOOKBEHIND_MS = 16 * 60 * 60 * 1000

type BusyQuery = {
  party: 'tutor' | 'student'
  partyId: string | number
  range: Interval
  excludeAppointmentId?: string | number
  req?: PayloadRequest
}

/**
 * Active appointments of one tutor or student that may touch `range`, as raw intervals. One indexed range
 * query (party + start), whatever the range's length.
 */
export async function busyIntervals(payload: Payload, query: BusyQuery): Promise<Interval[]> {
  const result = await payload.find({
    collection: 'appointments',
    where: {
      and: [
        { [query.party]: { equals: query.partyId } },
        { status: { equals: ACTIVE_STATUS } },
        { start: { less_than: new Date(query.range.end).toISOString() } },
        { start: { greater_than_equal: new Date(query.range.start - LOOKBEHIND_MS).toISOString() } },
        ...(query.excludeAppointmentId !== undefined ? [{ id: { not_equals: query.excludeAppointmentId } }] : []),
      ],
    },
    select: { start: true, end: true },
    depth: 0,
    pagination: false,
    overrideAccess: true,
    req: query.req,
  })
  return result.docs
    .map((doc) => ({ start: Date.parse(doc.start), end: Date.parse(doc.end) }))
    .filter((interval) => interval.end > query.range.start)
}
