import type { AfterErrorHook, PayloadRequest } from 'payload'

import { isRetryableStorageError, STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE, storageUnavailableBody } from '../src/storage/errors'

/**
 * Keeps the machine-readable code on booking refusals in REST responses. Payload adds `data` only for
 * errors that are `instanceof` its own APIError, and in a production build the route handler and our hooks
 * can hold different copies of that class, so the check is done by name here.
 *
 * A storage error a retry can cure (database unreachable, out of connections, a lost write race: see
 * src/storage/errors.ts) answers 503 with `Retry-After` and the code STORAGE_UNAVAILABLE instead of a 500;
 * in GraphQL the error carries that code and status in its extensions. Payload has already logged it, once,
 * with the request (src/lib/logger.ts).
 */
export const exposeBookingErrorCodes: AfterErrorHook = ({ error, graphqlResult, req }) => {
  if (isRetryableStorageError(error)) {
    askToRetryLater(req)
    const [body] = storageUnavailableBody().errors
    if (graphqlResult) {
      return { graphqlResult: { ...graphqlResult, message: body.message, extensions: { ...graphqlResult.extensions, code: STORAGE_UNAVAILABLE, statusCode: 503 } } }
    }
    return { response: storageUnavailableBody(), status: 503 }
  }
  const candidate = error as { name?: string; message?: string; data?: Record<string, unknown>; status?: number }
  if (candidate?.name !== 'BookingError' || !candidate.data) return
  return {
    response: { errors: [{ name: candidate.name, message: candidate.message, data: candidate.data }] },
    status: candidate.status,
  }
}

/** Payload merges `req.responseHeaders` into the error response (REST and GraphQL alike). */
function askToRetryLater(req: PayloadRequest): void {
  req.responseHeaders ??= new Headers()
  req.responseHeaders.set('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS))
}
