import type { Endpoint } from 'payload'

import { isOfficeStaff, ownTutorId } from '../../../src/access/roles'
import { answerAvailability } from '../../../src/booking/availability'

/**
 * GET /api/tutors/:id/availability?from&to&duration&tz — public. In production the Express server answers
 * anonymous requests for this path itself (src/server.ts, same function, without Next's request overhead); this
 * endpoint serves signed-in ones (office staff also see inactive tutors, a tutor their own profile) and every request wherever Payload's own router does.
 */
export const tutorAvailabilityEndpoint: Endpoint = {
  path: '/:id/availability',
  method: 'get',
  handler: async (req) => {
    const query = Object.fromEntries(new URL(req.url ?? 'http://localhost').searchParams)
    const answer = await answerAvailability(req.payload, req.routeParams?.id, query, { viewer: isOfficeStaff(req) || (ownTutorId(req) !== undefined && ownTutorId(req) === String(req.routeParams?.id)) ? 'staff' : 'public' })
    return Response.json(answer.body, { status: answer.status })
  },
}
