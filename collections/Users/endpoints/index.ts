import type { Endpoint } from 'payload'

import { forgotPasswordEndpoint } from '../../shared/authEndpoints/forgotPassword'
import { loginEndpoint } from '../../shared/authEndpoints/login'
import { resetPasswordEndpoint } from '../../shared/authEndpoints/resetPassword'

/** Login and forgot/reset password for staff; staff accounts are created by admins. */
export const staffAuthEndpoints: Endpoint[] = [loginEndpoint('users'), forgotPasswordEndpoint('users'), resetPasswordEndpoint('users')]
