import type { CollectionConfig } from 'payload'
import { zonedTimestamps } from '../fields/dates'

import { adminsAll, adminsOnly, adminsOnlyField, byRole, hiddenFromNonAdmins, staffSelf } from '../../src/access/roles'
import { makeFirstUserAdmin } from '../../hooks/users/makeFirstUserAdmin'
import { auditForgotPassword, auditLogin, auditLogout, endOtherSessionsAfterPasswordChange, enforcePasswordPolicy, exposeValidationErrors } from '../../src/security/authHooks'
import { RESET_LINK_VALID_MS } from '../../src/security/config'
import { staffAuthEndpoints } from './endpoints'
import { authCookies } from '../../src/security/sessionSettings'
import { requireTextFields } from '../../src/security/inputTypes'

/**
 * Admin-panel accounts: admins run everything, editors keep tutor profiles current, a tutor keeps their own profile
 * and sessions (linked to exactly one tutor profile; invited by an admin, ./endpoints/inviteTutor.ts).
 */
export const Users: CollectionConfig = {
  slug: 'users',
  labels: { singular: 'Staff user', plural: 'Staff users' },
  auth: {
    // The admin panel refreshes the token while it is in use: this is the idle timeout. Sessions are server-side.
    tokenExpiration: 60 * 60 * 2,
    // req.user carries the tutor link as an id: access rules compare ids, and nothing else needs it populated.
    depth: 0,
    useSessions: true,
    cookies: authCookies(),
    forgotPassword: { expiration: RESET_LINK_VALID_MS },
    // Payload's lockout counts failures with a findOneAndUpdate + projection that FerretDB rejects and that
    // loses racing increments anyway; login throttling is done by src/security instead.
    maxLoginAttempts: 0,
  },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'email', 'role', 'updatedAt'],
    group: 'People',
    description: 'People who sign in to this admin panel.',
    // An editor reads their own account (the account page), not the staff list: no Staff users in their nav.
    hidden: hiddenFromNonAdmins,
  },
  access: {
    admin: ({ req }) => req.user?.collection === 'users',
    read: byRole(adminsAll, staffSelf),
    create: adminsOnly,
    // Staff may edit their own profile (name, password); the role field is admin-only below.
    update: byRole(adminsAll, staffSelf),
    delete: adminsOnly,
  },
  hooks: {
    // Also notes a password change, which endOtherSessionsAfterPasswordChange (afterChange) acts on.
    beforeOperation: [enforcePasswordPolicy],
    beforeValidate: [requireTextFields(['email', 'password', 'name', 'role'])],
    beforeChange: [makeFirstUserAdmin],
    afterChange: [endOtherSessionsAfterPasswordChange],
    afterLogin: [auditLogin],
    afterLogout: [auditLogout],
    afterForgotPassword: [auditForgotPassword],
    afterError: [exposeValidationErrors],
  },
  // Login and forgot/reset password: rate limits, no account enumeration (./endpoints).
  endpoints: staffAuthEndpoints,
  // Auth mutations over GraphQL would bypass those; the admin panel uses REST.
  graphQL: { disableMutations: true },
  fields: [
    { name: 'name', type: 'text', required: true, maxLength: 120 },
    {
      name: 'role',
      type: 'select',
      required: true,
      defaultValue: 'editor',
      options: [
        { label: 'Admin', value: 'admin' },
        { label: 'Editor', value: 'editor' },
        { label: 'Tutor', value: 'tutor' },
      ],
      access: { create: adminsOnlyField, update: adminsOnlyField },
      admin: { description: 'Admins manage everything; editors manage tutor profiles; a tutor their own profile and sessions.' },
    },
    {
      name: 'tutor',
      type: 'relationship',
      relationTo: 'tutors',
      // One sign-in per tutor profile (a sparse unique index: staff without a profile hold none).
      unique: true,
      index: true,
      access: { create: adminsOnlyField, update: adminsOnlyField },
      validate: (value: unknown, { siblingData }: { siblingData: Record<string, unknown> }) => {
        const linked = value !== null && value !== undefined && value !== ''
        if (siblingData.role === 'tutor' && !linked) return 'Choose the tutor profile this tutor signs in for.'
        if (siblingData.role !== 'tutor' && linked) return 'Only a tutor account is linked to a tutor profile: clear this or set the role to Tutor.'
        return true
      },
      admin: {
        condition: (data) => data?.role === 'tutor',
        description: 'The tutor profile this account manages: its sessions, hours, time off and policy.',
      },
    },
    ...zonedTimestamps,
  ],
}
