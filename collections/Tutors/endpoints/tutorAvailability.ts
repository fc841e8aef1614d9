import type { Endpoint } from 'payload'

import { isStaff } from '../../../src/access/roles'
import { answerAvailability } from '../../../src/booking/availability'

/**
 * GET /api/tutors/:id/availability?from&to&duration&tz — public. In production the Express server answers
 * anonymous requests for this path itself (src/server.ts, same function, without Next's request overhead); this
 * endpoint serves signed-in ones (staff also see inactive tutors) and every request wherever Payload's own router does.
 */
export const tutorAvailabilityEndpoint: Endpoint = {
  path: '/:id/availability',
  method: 'get',
  handler: async (req) => {
    const query = Object.fromEntries(new URL(req.url ?? 'http://localhost').searchParams)
    const answer = await answerAvailability(req.payload, req.routeParams?.id, query, { viewer: isStaff(req) ? 'staff' : 'public' })
    return Response.json(answer.body, { status: answer.status })
  },
}
