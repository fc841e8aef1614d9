import { randomBytes } from 'node:crypto'

import type { Endpoint } from 'payload'
import { z } from 'zod'

import { isAdminUser } from '../../../src/access/roles'
import { documentId } from '../../../src/booking/requestSchemas'
import { queueStaffInvite } from '../../../src/email/staffInvite'
import { readJsonObject } from '../../../src/http/body'
import { errorResponse } from '../../../src/http/errors'
import type { Tutor, User } from '../../../src/payload-types'

const inviteRequest = z.strictObject({
  tutor: documentId,
  email: z.email({ error: 'must be an email address, e.g. sam@example.com' }).max(254).optional(),
  name: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters').optional(),
})

/**
 * POST /api/users/invite-tutor `{ tutor, email?, name? }` (admins): creates the tutor's sign-in (role tutor,
 * linked to that profile; email and name default to the profile's) with a random password nobody knows, and mails
 * a set-password link made by Payload's forgot-password machinery. Inviting a profile that already has its account
 * mails a fresh link to that account instead (200); a new account answers 201.
 */
export const inviteTutorEndpoint: Endpoint = {
  path: '/invite-tutor',
  method: 'post',
  handler: async (req) => {
    if (!req.user) return errorResponse(401, 'UNAUTHENTICATED', 'Sign in as an admin to invite a tutor.')
    if (!isAdminUser(req)) return errorResponse(403, 'FORBIDDEN', 'Only admins can invite tutors.')
    const body = await readJsonObject(req)
    if (!body.ok) return body.response
    const parsed = inviteRequest.safeParse(body.data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue.path.join('.') || undefined
      return errorResponse(400, 'INVALID_REQUEST', field ? `${field}: ${issue.message}` : issue.message, { field })
    }
    const request = parsed.data
    const tutor = (await req.payload.findByID({ collection: 'tutors', id: request.tutor, depth: 0, overrideAccess: true, disableErrors: true, req })) as Tutor | null
    if (!tutor) return errorResponse(404, 'NOT_FOUND', `No tutor "${request.tutor}": invite from an existing tutor profile.`, { field: 'tutor' })

    const linked = await req.payload.find({ collection: 'users', where: { tutor: { equals: tutor.id } }, limit: 1, depth: 0, overrideAccess: true, req })
    let user = linked.docs[0] as User | undefined
    const created = !user
    if (!user) {
      const email = (request.email ?? tutor.contactEmail).trim().toLowerCase()
      const taken = await req.payload.count({ collection: 'users', where: { email: { equals: email } }, overrideAccess: true, req })
      if (taken.totalDocs > 0) {
        return errorResponse(409, 'EMAIL_TAKEN', `A staff account already uses ${email}: give the tutor another address in "email".`, { field: 'email' })
      }
      user = (await req.payload.create({
        collection: 'users',
        // Random and never shown: the tutor chooses their own password through the link.
        data: { email, name: request.name ?? tutor.name, role: 'tutor', tutor: tutor.id, password: `${randomBytes(24).toString('base64url')}aA1!` },
        overrideAccess: true,
        req,
      })) as User
    }
    const token = await req.payload.forgotPassword({ collection: 'users', data: { email: user.email }, disableEmail: true, req })
    if (!token) return errorResponse(409, 'INVITE_FAILED', 'The account could not be given a set-password link; try again.')
    const inviter = req.user as User
    await queueStaffInvite(req.payload, { to: user.email, recipientName: user.name, invitedBy: inviter.name || 'An admin', token })
    return Response.json(
      {
        message: created ? `Invitation sent to ${user.email}. The link works for 1 hour.` : `A new set-password link was sent to ${user.email}. The link works for 1 hour.`,
        user: { id: user.id, email: user.email, name: user.name, role: user.role, tutor: tutor.id },
      },
      { status: created ? 201 : 200 },
    )
  },
}
