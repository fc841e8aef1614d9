import { ObjectId } from 'mongodb'
import type { Endpoint } from 'payload'

import { audit } from '../../../src/security/audit'
import { hitAll } from '../../../src/security/rateLimiter'
import { passwordMatches } from '../../../src/security/passwordHashing'
import { readJsonObject } from '../../../src/http/body'
import { errorResponse } from '../../../src/http/errors'
import { errorName, securityContext, tooManyRequests } from '../../../src/security/http'
import { englishAccountText } from '../../../src/i18n/accountText'

export const PASSWORD_CHANGED_MESSAGE = englishAccountText('passwordChanged')

/**
 * POST /api/students/change-password `{ currentPassword, newPassword }` for the signed-in student: the current
 * password is checked first (a stolen session alone cannot lock the owner out), counted against the same
 * per-account and per-IP limits as sign-in, since it is a password guess too. The new one goes through the
 * collection's update, so the password policy applies and the other sessions end (src/security/authHooks.ts).
 */
export const changeStudentPasswordEndpoint: Endpoint = {
  path: '/change-password',
  method: 'post',
  handler: async (req) => {
    const user = req.user
    if (user?.collection !== 'students') return errorResponse(401, 'UNAUTHORIZED', englishAccountText('signInToChangePassword'))
    const body = await readJsonObject(req, { multipart: false })
    if (!body.ok) return body.response
    const { currentPassword, newPassword } = body.data
    if (typeof currentPassword !== 'string' || currentPassword === '') {
      return errorResponse(400, 'INVALID_REQUEST', englishAccountText('typeCurrentPassword'), { field: 'currentPassword' })
    }
    if (typeof newPassword !== 'string' || newPassword === '') {
      return errorResponse(400, 'INVALID_REQUEST', englishAccountText('typeNewPassword'), { field: 'newPassword' })
    }
    const { db, limiter, ip } = securityContext(req)
    const limits = await hitAll(limiter, [
      { rule: 'login:ip', subject: ip },
      { rule: 'login:account', subject: `students:${String(user.email).toLowerCase()}` },
    ])
    if (limits.refused) {
      audit(req.payload, 'auth.change_password_rate_limited', { collection: 'students', userId: String(user.id), ip, rule: limits.refused.rule.name }, 'warn')
      return tooManyRequests(limits.refused)
    }
    const id = String(user.id)
    const stored = await db
      .collection('students')
      .findOne<{ salt?: string; hash?: string }>({ _id: (ObjectId.isValid(id) ? new ObjectId(id) : id) as never }, { projection: { salt: 1, hash: 1 } })
    if (!stored || !(await passwordMatches(currentPassword, stored))) {
      audit(req.payload, 'auth.change_password_refused', { collection: 'students', userId: id, ip, outcome: 'wrong_current_password' }, 'warn')
      return errorResponse(400, 'WRONG_PASSWORD', englishAccountText('wrongCurrentPassword'), { field: 'currentPassword' })
    }
    try {
      await req.payload.update({ collection: 'students', id, data: { password: newPassword }, req, user, overrideAccess: false })
    } catch (error) {
      if (errorName(error) !== 'ValidationError') throw error
      const message = (error as { data?: { errors?: { message?: string }[] } }).data?.errors?.[0]?.message ?? englishAccountText('newPasswordRefused')
      return errorResponse(400, 'INVALID_PASSWORD', message, { field: 'newPassword' })
    }
    return Response.json({ message: PASSWORD_CHANGED_MESSAGE })
  },
}
