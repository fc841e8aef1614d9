import type { CollectionAfterChangeHook } from 'payload'

import { queueAppointmentEmails as queue } from '../../src/email/appointmentEmails'
import type { Appointment } from '../../src/payload-types'

/**
 * After every appointment write (booking, reschedule, cancellation, admin edit): queue the emails it calls for
 * in the outbox — student confirmation / update / cancellation with a calendar invite, tutor notice, and
 * reminders. Sending happens later, in the background. Mail trouble never fails or slows the booking: errors
 * here are logged, and the write stands.
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
