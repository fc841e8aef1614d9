import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, PayloadRequest } from 'payload'

import { bookingWriteOf, writeKey, type BookingWrite } from '../../src/booking/writeContext'
import { queueMailOfWrite, recordMailOfWrite } from '../../src/email/appointmentMail'
import { emailServicesFor } from '../../src/email/services'
import type { Appointment } from '../../src/payload-types'

/**
 * Before every appointment write that owes mail (booking, reschedule, cancellation, admin edit): one small
 * write-ahead record of it (a mail intent), so the mail survives the process dying after the save. The last
 * beforeChange hook, after the booking rules have claimed the time and named the booking.
 */
export const recordMailIntent: CollectionBeforeChangeHook<Appointment> = async ({ data, originalDoc, operation, req }) => {
  const { mailPlan, mailIntent } = await recordMailOfWrite({ payload: req.payload, operation, data, originalDoc })
  const write = bookingWriteOf(req, writeKey(operation, originalDoc))
  write.mailPlan = mailPlan
  write.mailIntent = mailIntent
  return data
}

/**
 * After the write: the messages it calls for — student confirmation / update / cancellation with a calendar
 * invite, tutor notice, and reminders — are queued in the outbox and the immediate ones sent, in the
 * background. Mail trouble never fails or slows the booking: errors here are logged, and the write stands
 * (a dispatcher tick finishes from the intent).
 */
export const queueAppointmentEmails: CollectionAfterChangeHook<Appointment> = async ({ doc, previousDoc, operation, req }) => {
  const { tutor, student, mailIntent, mailPlan } = bookingWriteOf(req, writeKey(operation, doc))
  try {
    await queueMailOfWrite({
      payload: req.payload,
      previous: operation === 'update' ? previousDoc : undefined,
      current: doc,
      known: { tutor, student },
      mailIntent,
      mailPlan,
    })
  } catch (error) {
    req.payload.logger.error({ event: 'email.queue_failed', appointment: doc.id, err: error }, 'Could not queue appointment emails')
  }
  return doc
}

/** A write that failed after its mail intent was recorded owes no mail: drop the intent at once (a tick would). */
export async function dropMailIntentOfFailedWrite(req: PayloadRequest, write: BookingWrite): Promise<void> {
  const intent = write.mailIntent
  delete write.mailPlan
  if (!intent) return
  delete write.mailIntent
  await (await emailServicesFor(req.payload)).intents.settle(intent._id).catch(() => undefined)
}
