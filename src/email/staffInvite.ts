import { randomUUID } from 'node:crypto'

import type { Payload } from 'payload'

import { serverURL } from '../lib/env'
import { RESET_LINK_VALID_MS } from '../security/config'
import { kickDispatch } from './kicks'
import { renderEmail } from './render'
import { emailServicesFor } from './services'

/**
 * Where a staff account's password-reset token is used: Payload's admin reset view (`/admin/reset/:token`), which
 * posts to /api/users/reset-password and signs the person in. Built from SERVER_URL, never the request's Host.
 */
export const staffSetPasswordUrl = (token: string): string => `${serverURL()}/admin/reset/${encodeURIComponent(token)}`

/**
 * Queues the invitation with its set-password link in the outbox (sent once, by whichever replica dispatches it;
 * marked sensitive: the body is blanked once sent and hidden from non-admins, like reset mail).
 */
export async function queueStaffInvite(payload: Payload, invite: { to: string; recipientName: string; invitedBy: string; token: string }): Promise<string> {
  const mail = await renderEmail('staff-invite', {
    recipientName: invite.recipientName,
    invitedBy: invite.invitedBy,
    setPasswordUrl: staffSetPasswordUrl(invite.token),
    validForHours: RESET_LINK_VALID_MS / 3_600_000,
  })
  const { outbox } = await emailServicesFor(payload)
  const { id } = await outbox.enqueue({
    to: invite.to,
    template: 'staff-invite',
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    dedupeKey: `staff-invite:${randomUUID()}`,
    sensitive: true,
  })
  kickDispatch(payload, [id])
  return id
}
