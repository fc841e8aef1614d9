import type { CollectionAfterChangeHook, CollectionAfterErrorHook, CollectionBeforeChangeHook } from 'payload'

import { queueAppointmentEmails as queue, recordAppointmentMailIntent } from '../../src/email/appointmentEmails'
import type { MailIntent } from '../../src/email/mailIntents'
import { emailServicesFor } from '../../src/email/services'
import type { Appointment } from '../../src/payload-types'

/**
 * Before every appointment write that owes mail (booking, reschedule, cancellation, admin edit): one small
 * write-ahead record of it (a mail intent), so the mail survives the process dying after the save. The last
 * beforeChange hook, after the booking rules have claimed the time and named the booking.
 */
export const recordMailIntent: CollectionBeforeChangeHook<Appointment> = async ({ data, originalDoc, operation, req }) => {
  await recordAppointmentMailIntent({ payload: req.payload, req, operation, data, originalDoc })
  return data
}

/**
 * After the write: the messages it calls for — student confirmation / update / cancellation with a calendar
 * invite, tutor notice, and reminders — are queued in the outbox and the immediate ones sent, in the
 * background. Mail trouble never fails or slows the booking: errors here are logged, and the write stands
 * (a dispatcher tick finishes from the intent).
 */
export const queueAppointmentEmails: CollectionAfterChangeHook<Appointment> = async ({ doc, previousDoc, operation, req }) => {
  try {
    await queue({
      payload: req.payload,
      req,
      previous: operation === 'update' ? previousDoc : undefined,
      current: doc,
    })
  } catch (error) {
    req.payload.logger.error({ event: 'email.queue_failed', appointment: doc.id, err: error }, 'Could not queue appointment emails')
  }
  return doc
}

/** A write that failed after its mail intent was recorded owes no mail: drop the intent at once (a tick would). */
export const dropMailIntentOfFailedWrite: CollectionAfterErrorHook = async ({ req }) => {
  const intent = req.context?.mailIntent as MailIntent | undefined
  if (!intent) return
  delete req.context.mailIntent
  await (await emailServicesFor(req.payload)).intents.settle(intent._id).catch(() => undefined)
}
