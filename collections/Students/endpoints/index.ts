import type { Endpoint } from 'payload'

import { forgotPasswordEndpoint } from '../../shared/authEndpoints/forgotPassword'
import { loginEndpoint } from '../../shared/authEndpoints/login'
import { resetPasswordEndpoint } from '../../shared/authEndpoints/resetPassword'
import { changeStudentPasswordEndpoint } from './changePassword'
import { registerStudentEndpoint } from './register'
import { verifyStudentEmailEndpoint } from './verifyEmail'
import { inRequesterLanguage } from '../../../src/i18n/accountAnswers'

/**
 * Registration, login, forgot/reset password, email verification and password change for students, answering in
 * the requester's language (errors thrown inside them: the collection's afterError hook localizeStudentErrors).
 */
export const studentAuthEndpoints: Endpoint[] = [
  registerStudentEndpoint,
  loginEndpoint('students'),
  forgotPasswordEndpoint('students'),
  resetPasswordEndpoint('students'),
  verifyStudentEmailEndpoint,
  changeStudentPasswordEndpoint,
].map(inRequesterLanguage)
