import type { Access, FieldAccess, PayloadRequest } from 'payload'

type AnyRequest = Pick<PayloadRequest, 'user'>

export const isStaff = (req: AnyRequest): boolean => req.user?.collection === 'users'

export const isAdminUser = (req: AnyRequest): boolean =>
  isStaff(req) && (req.user as { role?: string } | null)?.role === 'admin'

export const isStudent = (req: AnyRequest): boolean => req.user?.collection === 'students'

export const isVerifiedStudent = (req: AnyRequest): boolean =>
  isStudent(req) && (req.user as { _verified?: boolean } | null)?._verified === true

export const anyone: Access = () => true

export const adminsOnly: Access = ({ req }) => isAdminUser(req)

export const staffOnly: Access = ({ req }) => isStaff(req)

export const adminsOnlyField: FieldAccess = ({ req }) => isAdminUser(req)
