import { APIError, type CollectionAfterChangeHook, type CollectionBeforeChangeHook } from 'payload'

import { ObjectId } from 'mongodb'

import { kickDispatch } from '../../src/email/kicks'
import { emailServicesFor } from '../../src/email/services'
import { refOf } from '../../src/scheduling'

/**
 * The only changes staff may make to an outbox email (from the admin panel or the API): re-queue a failed or
 * cancelled one, or cancel one still queued. A re-queue makes it due now and grants a fresh set of attempts.
 */
export const guardEmailStatusChange: CollectionBeforeChangeHook = ({ data, originalDoc, operation, req }) => {
  if (operation !== 'update' || !originalDoc) return data
  const from = originalDoc.status as string
  const to = (data.status ?? from) as string
  if (to === from) return data
  const who = req.user?.email ? String(req.user.email) : 'system'
  const at = new Date().toISOString()
  if (to === 'queued' && (from === 'failed' || from === 'cancelled')) {
    return {
      ...data,
      status: 'queued',
      nextAttemptAt: at,
      leaseUntil: null,
      attemptsBeforeRequeue: originalDoc.attempts ?? 0,
      requeuedBy: `${who} at ${at}`,
    }
  }
  if (to === 'cancelled' && from === 'queued') {
    return { ...data, status: 'cancelled', nextAttemptAt: null, lastError: `Cancelled by ${who} at ${at}` }
  }
  throw new APIError(
    `An email that is ${from} cannot be set to ${to}. Only a failed or cancelled email can be re-queued, and only a queued one cancelled.`,
    400,
    undefined,
    true,
  )
}

/** A re-queued email goes back on the dispatch queue and is tried at once, in the background. */
export const kickRequeuedEmail: CollectionAfterChangeHook = async ({ doc, previousDoc, operation, req }) => {
  if (operation !== 'update' || doc.status === previousDoc?.status) return doc
  const { outbox } = await emailServicesFor(req.payload)
  const id = new ObjectId(String(doc.id))
  if (doc.status === 'queued') {
    await outbox.schedule(id, new Date(doc.nextAttemptAt ?? Date.now()), { appointment: refOf(doc.appointment) ?? null, template: doc.template })
    kickDispatch(req.payload, [String(doc.id)])
  } else if (doc.status === 'cancelled') {
    await outbox.unschedule(id)
  }
  return doc
}
