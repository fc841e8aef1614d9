import type { CollectionConfig } from 'payload'
import { zonedTimestamps } from '../fields/dates'

import { adminOrSelf, readStudents } from './access'
import { adminsOnly, anyone } from '../../src/access/roles'
import { isLocale, LOCALES } from '../../src/i18n/catalog'
import { timeZoneField } from '../fields/timeZone'
import { textAnd, unlessEmpty } from '../fields/validators'
import { protectPrivilegedStudentFields } from '../../hooks/students/protectPrivilegedStudentFields'
import { studentForgotPasswordEmail, studentVerifyEmail } from '../../src/email/authEmails'
import { stampNewVerificationToken } from '../../hooks/students/stampVerificationToken'
import { auditForgotPassword, auditLogin, auditLogout, endOtherSessionsAfterPasswordChange, enforcePasswordPolicy, exposeValidationErrors } from '../../src/security/authHooks'
import { authCookies } from '../../src/security/sessionSettings'
import { requireTextFields } from '../../src/security/inputTypes'
import { studentAuthEndpoints } from './endpoints'
import { englishAccountText } from '../../src/i18n/accountText'
import { localizeStudentErrors } from '../../src/i18n/accountAnswers'

const PHONE_PATTERN = /^\+?[0-9 ()\-.]{6,24}$/

/** Students book sessions. Payload auth gives registration, email verification and password reset. */
export const Students: CollectionConfig = {
  slug: 'students',
  auth: {
    // Links point at SERVER_URL/verify?token=… and /reset-password?token=…; mail goes through the outbox.
    verify: studentVerifyEmail,
    forgotPassword: studentForgotPasswordEmail,
    // Sessions are server-side (Payload `useSessions`): logout and a password reset/change end them. See docs/security.md.
    tokenExpiration: 60 * 60 * 8,
    useSessions: true,
    cookies: authCookies(),
    // Payload's lockout counts failures with a findOneAndUpdate + projection that FerretDB rejects and that
    // loses racing increments anyway; login throttling is done by src/security instead.
    maxLoginAttempts: 0,
  },
  admin: {
    useAsTitle: 'fullName',
    defaultColumns: ['fullName', 'email', 'timeZone', '_verified', 'createdAt'],
    group: 'People',
    description: 'Students who book sessions. They sign in on the booking site, never in this admin panel.',
  },
  access: {
    // Students are never admin-panel users.
    admin: () => false,
    create: anyone,
    read: readStudents,
    update: adminOrSelf,
    delete: adminsOnly,
  },
  hooks: {
    // Also notes a password change, which endOtherSessionsAfterPasswordChange (afterChange) acts on.
    beforeOperation: [enforcePasswordPolicy],
    beforeValidate: [requireTextFields(['email', 'password', 'fullName', 'timeZone', 'phone'])],
    beforeChange: [protectPrivilegedStudentFields],
    afterChange: [stampNewVerificationToken, endOtherSessionsAfterPasswordChange], // independent of each other: any order
    afterLogin: [auditLogin],
    afterLogout: [auditLogout],
    afterForgotPassword: [auditForgotPassword],
    afterError: [exposeValidationErrors, localizeStudentErrors], // in this order: the second translates what the first exposes
  },
  // Registration, login, forgot/reset password and verification: rate limits, no account enumeration (./endpoints).
  endpoints: studentAuthEndpoints,
  // Those auth mutations would bypass the REST endpoints above; students use REST only.
  graphQL: { disableMutations: true },
  fields: [
    { name: 'fullName', type: 'text', required: true, maxLength: 120 },
    timeZoneField({
      admin: { description: 'Times are shown to the student in this IANA time zone, e.g. America/Los_Angeles.' },
    }),
    {
      name: 'phone',
      type: 'text',
      maxLength: 24,
      validate: textAnd(
        unlessEmpty((value: string) =>
          PHONE_PATTERN.test(value) ? true : englishAccountText('phone'),
        ),
      ),
    },
    {
      // The site's and the student's mail language; set at registration from the browser, changed on the profile.
      name: 'language',
      type: 'text',
      maxLength: 16,
      validate: textAnd(unlessEmpty((value: string) => (isLocale(value) ? true : englishAccountText('language', { languages: LOCALES.join(', ') })))),
    },
    ...zonedTimestamps,
  ],
}
