import type { Endpoint } from 'payload'

import { isStaff } from '../../../src/access/roles'
import { tutorAvailability } from '../../../src/booking/availability'

/**
 * GET /api/tutors/:id/availability?from&to&duration&tz — public. In production the Express server answers
 * this path itself (src/server.ts, same function, without Next's request overhead); this endpoint serves it
 * wherever Payload's own router does (tests, other hosts).
 */
export const tutorAvailabilityEndpoint: Endpoint = {
  path: '/:id/availability',
  method: 'get',
  handler: async (req) => {
    const query = Object.fromEntries(new URL(req.url ?? 'http://localhost').searchParams)
    const answer = await tutorAvailability(req.payload, req.routeParams?.id, query, { includeInactive: isStaff(req) })
    return Response.json(answer.body, { status: answer.status })
  },
}
