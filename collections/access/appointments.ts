import type { Access } from 'payload'

import { isAdminUser, isStaff, isStudent, isVerifiedStudent } from '../../src/access/roles'

/** Staff read every appointment; a student reads only their own. */
export const staffOrOwnAppointments: Access = ({ req }) => {
  if (isStaff(req)) return true
  if (isStudent(req) && req.user) return { student: { equals: req.user.id } }
  return false
}

/** Verified students book for themselves; admins book for anyone. */
export const verifiedStudentsAndAdmins: Access = ({ req }) =>
  isAdminUser(req) || isVerifiedStudent(req)
