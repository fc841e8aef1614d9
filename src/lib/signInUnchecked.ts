import { logger } from './logger'
import { currentRequest } from './requestContext'
import { describeStorageError, STORAGE_RETRY_AFTER_SECONDS, storageUnavailableBody } from '../storage/errors'

/**
 * Payload's token sign-in answers "nobody" when its user lookup fails for any reason, a database outage included
 * (payload/dist/auth/strategies/jwt.js catches every error). So during an outage a signed-in request is served
 * as anonymous: refused (401/403), or for a read, answered with the public view. When a database call of the
 * request failed with a retryable error (noted by src/storage/errors.ts `noteStorageFailuresOf`), such an
 * answer only means "could not check who you are": it becomes 503 + Retry-After + STORAGE_UNAVAILABLE.
 *
 * A write that was signed in and then met the outage is answered by the afterError hook, not here.
 */
export function signInCouldNotBeChecked(request: { method: string; hasCredentials: boolean; graphql?: boolean }, status: number): unknown {
  const failure = currentRequest()?.storageFailure
  if (failure === undefined) return undefined
  if (status === 401 || status === 403) return failure
  // A read with credentials answered as anonymous would show a signed-in person the public view (or nothing).
  const read = request.method === 'GET' || request.method === 'HEAD' || request.graphql === true
  return read && request.hasCredentials && status < 500 ? failure : undefined
}

/** A token in the Authorization header or Payload's auth cookie: the client means to be signed in. */
export function carriesCredentials(headers: { get(name: string): string | null }): boolean {
  if (/^(JWT|Bearer)\s+\S/i.test(headers.get('authorization') ?? '')) return true
  return /(?:^|;\s*)payload-token=/.test(headers.get('cookie') ?? '')
}

type RouteHandler<Rest extends unknown[]> = (request: Request, ...rest: Rest) => Promise<Response>

/** Wraps a Payload route handler of the Next app (REST and GraphQL) with the rule above. */
export function answerStorageOutages<Rest extends unknown[]>(handler: RouteHandler<Rest>, options: { graphql?: boolean } = {}): RouteHandler<Rest> {
  return async (request, ...rest) => {
    const response = await handler(request, ...rest)
    const failure = signInCouldNotBeChecked({ method: request.method, hasCredentials: carriesCredentials(request.headers), graphql: options.graphql }, response.status)
    if (failure === undefined) return response
    await response.body?.cancel()
    logger.warn({ event: 'storage.unavailable', refused: response.status, storageError: describeStorageError(failure) }, 'database unavailable; a retry can succeed')
    return Response.json(storageUnavailableBody(), { status: 503, headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) } })
  }
}
