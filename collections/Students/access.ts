import type { Access } from 'payload'

import { adminsAll, byRole, studentSelf } from '../../src/access/roles'

/** Admins see every student; a student sees only themself; editors (tutor profiles only) and visitors see nobody. */
export const readStudents: Access = byRole(adminsAll, studentSelf)

/** Admins change any student; a student changes only themself; editors manage tutors, not students. */
export const adminOrSelf: Access = byRole(adminsAll, studentSelf)
