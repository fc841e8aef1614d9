import type { CollectionBeforeChangeHook } from 'payload'

import { isCancelling, stampedCancellation } from '../../src/booking/cancellation'

/**
 * Every cancellation records who, when and why, whichever screen starts it (the cancel endpoint, the admin's
 * status dropdown, a tutor's new hours): one path, so the mail and the record always agree.
 */
export const stampCancellation: CollectionBeforeChangeHook = ({ data, originalDoc, operation, req }) => {
  if (operation !== 'update' || !isCancelling(data, originalDoc)) return data
  return { ...data, cancellation: stampedCancellation(req, data.cancellation) }
}
