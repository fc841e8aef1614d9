import type { Access } from 'payload'

import { isAdminUser, isStaff } from './roles'

/** Anyone may browse active tutors; staff also see inactive ones. */
export const activeTutorsOrStaff: Access = ({ req }) => {
  if (isStaff(req)) return true
  return { active: { equals: true } }
}

/** Editors and admins maintain tutor profiles. */
export const editorsAndAdmins: Access = ({ req }) => isStaff(req)

export const adminsDelete: Access = ({ req }) => isAdminUser(req)
