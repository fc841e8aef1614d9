import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * The HTTP request a piece of work belongs to, for log lines (src/lib/logger.ts adds it to every line, Payload's
 * included) and for what the request met on the way (a storage failure that Payload's sign-in swallowed).
 * Set by src/server.ts around each request.
 */
export type RequestContext = {
  method: string
  path: string
  /** The first retryable storage error any database call of this request met (src/storage/errors.ts). */
  storageFailure?: unknown
}

// One store per process even when a production build holds a second copy of this module.
const STORE_KEY = Symbol.for('tutortrack.requestContext')
const holder = globalThis as { [STORE_KEY]?: AsyncLocalStorage<RequestContext> }
const storage = (holder[STORE_KEY] ??= new AsyncLocalStorage<RequestContext>())

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run({ ...context, path: loggablePath(context.path) }, work)
}

/**
 * The path with anything that may be a secret masked: a long opaque segment is a token (the email-verification
 * link's is in its path), never a document id (24 hex digits) or a word. Query strings are never logged.
 */
export function loggablePath(path: string): string {
  return path.replace(/\/[A-Za-z0-9_-]{32,}(?=\/|$)/g, '/[redacted]')
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore()
}

/** Fields a log line carries when it is written while serving a request. */
export function requestLogFields(): { request?: { method: string; path: string } } {
  const context = storage.getStore()
  return context ? { request: { method: context.method, path: context.path } } : {}
}
