import type { Access, AccessResult, FieldAccess, PayloadRequest } from 'payload'

type AnyRequest = Pick<PayloadRequest, 'user'>

export const isStaff = (req: AnyRequest): boolean => req.user?.collection === 'users'

export const isAdminUser = (req: AnyRequest): boolean =>
  isStaff(req) && (req.user as { role?: string } | null)?.role === 'admin'

type StaffUser = { role?: string; tutor?: unknown }

/** Admins and editors: the office. A tutor signs in to the same panel but is not office staff. */
export const isOfficeStaff = (req: AnyRequest): boolean => {
  const role = isStaff(req) ? (req.user as StaffUser).role : undefined
  return role === 'admin' || role === 'editor'
}

export const isTutorUser = (req: AnyRequest): boolean => isStaff(req) && (req.user as StaffUser | null)?.role === 'tutor'

/** The tutor profile a tutor account is linked to (its id), or undefined for anyone else or an unlinked account. */
export function ownTutorId(req: AnyRequest): string | undefined {
  if (!isTutorUser(req)) return undefined
  const link = (req.user as StaffUser).tutor
  const id = link && typeof link === 'object' ? (link as { id?: unknown }).id : link
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined
}

export const isStudent = (req: AnyRequest): boolean => req.user?.collection === 'students'

export const isVerifiedStudent = (req: AnyRequest): boolean =>
  isStudent(req) && (req.user as { _verified?: boolean } | null)?._verified === true

export const anyone: Access = () => true

export const adminsOnly: Access = ({ req }) => isAdminUser(req)

export const staffOnly: Access = ({ req }) => isStaff(req)

export const adminsOnlyField: FieldAccess = ({ req }) => isAdminUser(req)

/**
 * One role's share of a collection: what that caller may reach (true, or a query on their own documents), or
 * undefined when the rule is not about this caller. Least privilege is a list of such rules (see `byRole`); a new
 * role (e.g. tutor) is one more named rule in that list — docs/security.md, "Who may do what".
 */
export type RoleRule = (req: AnyRequest) => AccessResult | undefined

/** Access made of role rules: the first rule that speaks for the caller decides; a caller no rule names gets nothing. */
export const byRole =
  (...rules: RoleRule[]): Access =>
  ({ req }) => {
    for (const rule of rules) {
      const verdict = rule(req)
      if (verdict !== undefined) return verdict
    }
    return false
  }

/** Admins reach every document. */
export const adminsAll: RoleRule = (req) => (isAdminUser(req) ? true : undefined)

/** Any staff user (an editor) reaches their own staff account only: their account page needs it. */
export const staffSelf: RoleRule = (req) => (isStaff(req) && req.user ? { id: { equals: req.user.id } } : undefined)

/** Admins and editors reach every document. */
export const officeStaffAll: RoleRule = (req) => (isOfficeStaff(req) ? true : undefined)

/**
 * A tutor account reaches documents of its own tutor profile only: `field` names the tutor (`id` for the profile
 * itself, `tutor` for sessions). An account with no linked profile reaches nothing.
 */
export const tutorOwn =
  (field: string): RoleRule =>
  (req) => {
    if (!isTutorUser(req)) return undefined
    const tutorId = ownTutorId(req)
    return tutorId ? { [field]: { equals: tutorId } } : false
  }

/** A student reaches their own student document only. */
export const studentSelf: RoleRule = (req) => (isStudent(req) && req.user ? { id: { equals: req.user.id } } : undefined)

/**
 * `admin.hidden` for collections only admins work with: keeps them out of an editor's nav and dashboard even when
 * the editor may read one document of it (their own staff account).
 */
export const hiddenFromNonAdmins = ({ user }: { user: unknown }): boolean => {
  const staffUser = user as { collection?: string; role?: string } | null | undefined
  return !(staffUser?.collection === 'users' && staffUser.role === 'admin')
}
