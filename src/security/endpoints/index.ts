import type { Endpoint } from 'payload'

import { forgotPasswordEndpoint } from './forgotPassword'
import { loginEndpoint } from './login'
import { registerStudentEndpoint } from './register'
import { resetPasswordEndpoint } from './resetPassword'
import { verifyStudentEmailEndpoint } from './verifyEmail'

/** Registration, login, forgot/reset password and email verification for students (collections/Students.ts). */
export const studentAuthEndpoints: Endpoint[] = [
  registerStudentEndpoint,
  loginEndpoint('students'),
  forgotPasswordEndpoint('students'),
  resetPasswordEndpoint('students'),
  verifyStudentEmailEndpoint,
]

/** Login and forgot/reset password for staff (collections/Users.ts); staff accounts are created by admins. */
export const staffAuthEndpoints: Endpoint[] = [loginEndpoint('users'), forgotPasswordEndpoint('users'), resetPasswordEndpoint('users')]
