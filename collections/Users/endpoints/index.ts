import type { Endpoint } from 'payload'

import { forgotPasswordEndpoint } from '../../shared/authEndpoints/forgotPassword'
import { loginEndpoint } from '../../shared/authEndpoints/login'
import { resetPasswordEndpoint } from '../../shared/authEndpoints/resetPassword'
import { inviteTutorEndpoint } from './inviteTutor'

/** Login and forgot/reset password for staff; staff accounts are created by admins (tutors by invitation). */
export const staffAuthEndpoints: Endpoint[] = [loginEndpoint('users'), forgotPasswordEndpoint('users'), resetPasswordEndpoint('users'), inviteTutorEndpoint]
