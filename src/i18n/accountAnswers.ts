import type { CollectionAfterErrorHook, Endpoint, PayloadHandler, PayloadRequest } from 'payload'

import { isStaff } from '../access/roles'
import { localizeAnswerBody } from './accountText'
import { requestLanguage } from './apiText'

/**
 * The student account answers' boundary: whatever sentence an account endpoint, a field validator, the password
 * policy or Payload itself put in the answer leaves in the requester's language (the student's profile language,
 * else Accept-Language, else English; src/i18n/accountText.ts). Staff (the admin panel) keep English answers.
 */
const studentLanguage = (req: PayloadRequest): string | null => (isStaff(req) ? null : requestLanguage(req))

/** Errors thrown inside a students operation or endpoint (Payload's route handler formats them): runs last. */
export const localizeStudentErrors: CollectionAfterErrorHook = ({ req, result }) => {
  const locale = studentLanguage(req)
  if (!locale || !result) return
  const localized = localizeAnswerBody(result, locale)
  return localized === result ? undefined : { response: localized }
}

/** Marks the handler an endpoint wraps, so builtInHandler (src/http/builtInHandler.ts) never mistakes the wrapper for Payload's own. */
export const WRAPS = 'wrapsHandler'

/** An endpoint whose JSON answers (refusals and `{ message }`) are said in the requester's language. */
export function inRequesterLanguage(endpoint: Endpoint): Endpoint {
  const inner = endpoint.handler
  const handler: PayloadHandler = async (req) => {
    const response = await inner(req)
    const locale = studentLanguage(req)
    if (!locale || !response.headers.get('content-type')?.includes('application/json')) return response
    const body: unknown = await response.clone().json().catch(() => undefined)
    const localized = localizeAnswerBody(body, locale)
    if (localized === body) return response
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    return Response.json(localized, { status: response.status, statusText: response.statusText, headers })
  }
  return { ...endpoint, handler, custom: { ...endpoint.custom, [WRAPS]: inner } }
}
