import type { Endpoint } from 'payload'

import { forgotPasswordEndpoint } from '../../shared/authEndpoints/forgotPassword'
import { loginEndpoint } from '../../shared/authEndpoints/login'
import { resetPasswordEndpoint } from '../../shared/authEndpoints/resetPassword'
import { changeStudentPasswordEndpoint } from './changePassword'
import { registerStudentEndpoint } from './register'
import { verifyStudentEmailEndpoint } from './verifyEmail'

/** Registration, login, forgot/reset password, email verification and password change for students. */
export const studentAuthEndpoints: Endpoint[] = [
  registerStudentEndpoint,
  loginEndpoint('students'),
  forgotPasswordEndpoint('students'),
  resetPasswordEndpoint('students'),
  verifyStudentEmailEndpoint,
  changeStudentPasswordEndpoint,
]
