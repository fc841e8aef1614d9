import type { Access } from 'payload'

import { isAdminUser, isStaff, isStudent } from '../../src/access/roles'

/** Staff see every student; a student sees only themself; anonymous visitors see nobody. */
export const staffOrSelf: Access = ({ req }) => {
  if (isStaff(req)) return true
  if (isStudent(req) && req.user) return { id: { equals: req.user.id } }
  return false
}

/** Admins change any student; a student changes only themself; editors manage tutors, not students. */
export const adminOrSelf: Access = ({ req }) => {
  if (isAdminUser(req)) return true
  if (isStudent(req) && req.user) return { id: { equals: req.user.id } }
  return false
}
