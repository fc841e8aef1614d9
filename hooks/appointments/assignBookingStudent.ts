import type { CollectionBeforeValidateHook } from 'payload'

import { isStudent } from '../../src/access/roles'

/** A student always books for themself, whatever the request body says. */
export const assignBookingStudent: CollectionBeforeValidateHook = ({ data, operation, req }) => {
  if (operation !== 'create' || !data || !isStudent(req) || !req.user) return data
  return { ...data, student: req.user.id }
}
