import type { Access, FieldAccess } from 'payload'

import { adminsAll, byRole, isOfficeStaff, officeStaffAll, ownTutorId, tutorOwn, type RoleRule } from '../../src/access/roles'

/** Visitors and students browse active tutors (their public fields). */
const activeTutorsForEveryoneElse: RoleRule = () => ({ active: { equals: true } })

/**
 * Admins and editors see every tutor, inactive ones too; a tutor account sees its own profile only (never another
 * tutor's, not even its public fields through the admin panel); anyone else browses active tutors.
 */
export const activeTutorsOrStaff: Access = byRole(officeStaffAll, tutorOwn('id'), activeTutorsForEveryoneElse)

/** Editors and admins create tutor profiles. */
export const editorsAndAdmins: Access = byRole(officeStaffAll)

/** Editors and admins maintain every profile; a tutor their own (hours, time off, policy, bio). */
export const editorsAdminsOrOwnTutor: Access = byRole(officeStaffAll, tutorOwn('id'))

export const adminsDelete: Access = byRole(adminsAll)

/**
 * Read access of a tutor's private fields (contact email, meeting link, time off): office staff, and the tutor
 * themself. Payload applies it wherever a tutor is read with access checks — REST, GraphQL, a tutor populated into
 * an appointment — and refuses `where`/`sort` on these fields to anyone it returns false for, so they cannot be
 * guessed either (a tutor may filter on them: their reads reach their own profile only).
 */
export const staffOrSelfTutor: FieldAccess = ({ req, doc, id }) => {
  if (isOfficeStaff(req)) return true
  const own = ownTutorId(req)
  if (own === undefined) return false
  const docId = (doc as { id?: unknown } | undefined)?.id ?? id
  // No document: a filter or sort on the field. A tutor's reads reach only their own profile, so it can match nothing else.
  return docId === undefined || String(docId) === own
}

/** Fields that are the office's decision (shown to students or not): admins and editors only, never the tutor. */
export const officeStaffField: FieldAccess = ({ req }) => isOfficeStaff(req)
