import type { Access, FieldAccess } from 'payload'

import { isAdminUser, isStaff } from '../../src/access/roles'

/** Anyone may browse active tutors; staff also see inactive ones. */
export const activeTutorsOrStaff: Access = ({ req }) => {
  if (isStaff(req)) return true
  return { active: { equals: true } }
}

/** Editors and admins maintain tutor profiles. */
export const editorsAndAdmins: Access = ({ req }) => isStaff(req)

export const adminsDelete: Access = ({ req }) => isAdminUser(req)

/**
 * Read access of a tutor's private fields (contact email, meeting link, time off): staff only, for now. Payload
 * applies it wherever a tutor is read with access checks — REST, GraphQL, a tutor populated into an appointment —
 * and refuses `where`/`sort` on these fields to anyone it returns false for, so they cannot be guessed either.
 * When tutor accounts exist, the tutor themself is one more line here, e.g.
 * `if (isTutor(req) && doc?.id && req.user.tutor === doc.id) return true`.
 */
export const staffOrSelfTutor: FieldAccess = ({ req }) => {
  if (isStaff(req)) return true
  return false
}
