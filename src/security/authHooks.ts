import { ObjectId } from 'mongodb'
import type {
  CollectionAfterChangeHook,
  CollectionAfterErrorHook,
  CollectionAfterForgotPasswordHook,
  CollectionAfterLoginHook,
  CollectionAfterLogoutHook,
  CollectionBeforeOperationHook,
  PayloadRequest,
} from 'payload'
import { ValidationError } from 'payload'

import { errorHookResponse } from '../http/errors'
import { mongoDb } from '../storage/db'
import { audit, requestIp } from './audit'
import { emailFingerprint, normalizeEmail } from './http'
import { passwordProblem } from './passwordPolicy'

/**
 * Auth hooks shared by students (collections/Students) and staff users (collections/Users).
 */

const passwordChanges = new WeakSet<PayloadRequest>()

/**
 * The password policy (src/security/passwordPolicy.ts) for every way a password is set: registration and
 * staff-created accounts (create), a password change (update, also from the admin panel) and a reset.
 * `beforeOperation` sees the plaintext in `args.data.password` for all three, before Payload hashes it.
 */
export const enforcePasswordPolicy: CollectionBeforeOperationHook = ({ args, collection, operation, req }) => {
  if (operation !== 'create' && operation !== 'update' && operation !== 'resetPassword') return args
  const data = (args as { data?: Record<string, unknown> }).data
  if (!data) return args
  const password = data.password
  if (operation === 'update' && (password === undefined || password === null || password === '')) return args
  const problem = passwordProblem(password, { email: data.email ?? (req.user?.collection === collection.slug ? req.user?.email : undefined) })
  if (problem) {
    throw new ValidationError({ collection: collection.slug, errors: [{ message: problem, path: 'password' }] }, req.t)
  }
  if (operation === 'update') passwordChanges.add(req)
  return args
}

/**
 * After a password change, every other session of that account ends (the one making the change stays signed
 * in). A reset already does this in Payload itself (`sessions = []`).
 */
export const endOtherSessionsAfterPasswordChange: CollectionAfterChangeHook = async ({ collection, doc, operation, req }) => {
  if (operation !== 'update' || !passwordChanges.has(req)) return doc
  const users = mongoDb(req.payload).collection(collection.slug)
  const _id = ObjectId.isValid(String(doc.id)) ? new ObjectId(String(doc.id)) : doc.id
  const self = req.user?.collection === collection.slug && String(req.user.id) === String(doc.id) ? (req.user as { _sid?: string })._sid : undefined
  const stored = await users.findOne<{ sessions?: { id: string }[] }>({ _id }, { projection: { sessions: 1 } })
  const keep = (stored?.sessions ?? []).filter((session) => self !== undefined && session.id === self)
  await users.updateOne({ _id }, { $set: { sessions: keep } })
  audit(req.payload, 'auth.password_changed', { collection: collection.slug, userId: String(doc.id), by: req.user ? `${req.user.collection}:${req.user.id}` : 'local', ip: requestIp(req), outcome: 'other_sessions_ended' })
  return doc
}

export const auditLogin: CollectionAfterLoginHook = ({ collection, req, user }) => {
  audit(req.payload, 'auth.login', { collection: collection.slug, userId: String(user.id), ip: requestIp(req) })
  return user
}

export const auditLogout: CollectionAfterLogoutHook = ({ collection, req }) => {
  audit(req.payload, 'auth.logout', { collection: collection.slug, userId: req.user ? String(req.user.id) : undefined, ip: requestIp(req) })
}

/** Runs only when the address has an account and the link was sent. */
export const auditForgotPassword: CollectionAfterForgotPasswordHook = ({ args, collection }) => {
  const req = (args as { req?: PayloadRequest } | undefined)?.req
  const email = normalizeEmail((args as { data?: { email?: unknown } } | undefined)?.data?.email)
  if (req) audit(req.payload, 'auth.password_reset_link_sent', { collection: collection.slug, emailFingerprint: emailFingerprint(email), ip: requestIp(req) })
}

/**
 * Keeps field-level details of validation errors thrown by our hooks (e.g. the password policy) in REST answers.
 * Payload adds `data` only to errors that are `instanceof` its own classes, and in a production build the route
 * handler and our hooks can hold different copies of them, so this matches by name (src/http/errors.ts).
 */
export const exposeValidationErrors: CollectionAfterErrorHook = ({ error, result }) => {
  if (!Array.isArray((error as { data?: { errors?: unknown } } | null)?.data?.errors)) return
  const current = (result as { errors?: { data?: unknown }[] } | undefined)?.errors?.[0]
  if (current?.data) return
  return errorHookResponse(error, 'ValidationError', 400)
}
