import type { CollectionAfterErrorHook } from 'payload'

import { isStaff } from '../../src/access/roles'

/**
 * The admin form toasts a body's top-level `message` as it is, but splits `errors[0].message` at its first ':'
 * and at every ',' (@payloadcms/ui Toasts/fieldErrors), which garbles a rule's sentence full of times. For staff,
 * whose screen that is, a rule refusal also carries the sentence at the top; `errors` stays as every client reads it.
 */
export const ruleSentenceForStaff: CollectionAfterErrorHook = ({ error, req, result }) => {
  if (!isStaff(req) || (error as { name?: string } | undefined)?.name !== 'BookingError' || !result) return
  return { response: { ...result, message: (error as Error).message } }
}
