import type { AfterErrorHook, PayloadRequest } from 'payload'

import { isRetryableStorageError, STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE, storageUnavailableBody } from '../storage/errors'
import { errorHookResponse } from './errors'

/**
 * Payload's global afterError hook (src/payload.config.ts). Keeps the machine-readable code on booking refusals
 * in REST responses: Payload adds `data` only for errors that are `instanceof` its own APIError, so the check
 * is done by name (src/http/errors.ts `errorHookResponse`).
 *
 * A storage error a retry can cure (database unreachable, out of connections, a lost write race: see
 * src/storage/errors.ts) answers 503 with `Retry-After` and the code STORAGE_UNAVAILABLE instead of a 500;
 * in GraphQL the error carries that code and status in its extensions. Payload has already logged it, once,
 * with the request (src/lib/logger.ts).
 */
export const exposeErrorCodes: AfterErrorHook = ({ error, graphqlResult, req }) => {
  if (isRetryableStorageError(error)) {
    askToRetryLater(req)
    const [body] = storageUnavailableBody().errors
    if (graphqlResult) {
      return { graphqlResult: { ...graphqlResult, message: body.message, extensions: { ...graphqlResult.extensions, code: STORAGE_UNAVAILABLE, statusCode: 503 } } }
    }
    return { response: storageUnavailableBody(), status: 503 }
  }
  return withWholeSentence(errorHookResponse(error, 'BookingError'))
}

/**
 * A refusal also carries its sentence as a top-level `message`. Payload's admin form toasts a top-level
 * `message` as it is, whereas each `errors[].message` goes through its field-error toast, which splits the text
 * at the first ':' and then at every ',' (`createErrorsFromMessage` in @payloadcms/ui, written for "The
 * following fields are invalid: a, b") and so garbles sentences with times in them ("… 14 (2): • 30–15:30 …").
 * `errors` stays exactly as REST clients read it.
 */
function withWholeSentence(refusal: ReturnType<typeof errorHookResponse>): ReturnType<typeof errorHookResponse> {
  const message = refusal?.response.errors[0]?.message
  if (!refusal || !message) return refusal
  return { ...refusal, response: { message, ...refusal.response } }
}

/** Payload merges `req.responseHeaders` into the error response (REST and GraphQL alike). */
function askToRetryLater(req: PayloadRequest): void {
  req.responseHeaders ??= new Headers()
  req.responseHeaders.set('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS))
}
