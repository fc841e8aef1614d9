import type { Endpoint } from 'payload'

import { isAdminUser } from '../../../src/access/roles'
import { errorResponse } from '../../../src/http/errors'

/** POST /api/emails/:id/requeue — admins only: send a failed or cancelled email again (same rules as the panel). */
export const requeueEmailEndpoint: Endpoint = {
  path: '/:id/requeue',
  method: 'post',
  handler: async (req) => {
    if (!req.user) return errorResponse(401, undefined, 'Log in as an admin to re-queue an email.')
    if (!isAdminUser(req)) return errorResponse(403, undefined, 'Only admins can re-queue emails.')
    const id = String(req.routeParams?.id ?? '')
    const existing = await req.payload.findByID({ collection: 'emails', id, depth: 0, disableErrors: true, overrideAccess: false, req })
    if (!existing) return errorResponse(404, undefined, `No email "${id}".`)
    const doc = await req.payload.update({ collection: 'emails', id, data: { status: 'queued' }, depth: 0, overrideAccess: false, req })
    return Response.json({ doc, message: 'The email is queued and will be sent shortly.' }, { status: 200 })
  },
}
