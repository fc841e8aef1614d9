import type { CollectionBeforeChangeHook } from 'payload'

import { isAdminUser } from '../../src/access/roles'

/**
 * Only admins (and server code through the Local API) decide whether a student is verified.
 * Payload's own field access lets any signed-in user write `_verified`, so a student could otherwise
 * register a second, pre-verified account. Token and lockout fields are already closed by Payload's field access.
 */
export const protectPrivilegedStudentFields: CollectionBeforeChangeHook = ({ data, originalDoc, operation, req }) => {
  if (req.payloadAPI === 'local' || isAdminUser(req)) return data
  if (operation === 'create') return { ...data, _verified: false }
  if ('_verified' in data) return { ...data, _verified: originalDoc?._verified ?? false }
  return data
}
