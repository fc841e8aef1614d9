/**
 * Storage errors a retry can cure: the database is unreachable, restarting, out of connections, or a write
 * lost a race it may win next time. Requests that meet one answer 503 with `Retry-After` and the stable code
 * STORAGE_UNAVAILABLE (src/http/afterError.ts for Payload's REST and GraphQL, src/server.ts for the
 * routes beside Next) instead of a 500 that reads like a bug.
 *
 * Matched by name and code, never by `instanceof`: a production build can hold several copies of the driver's
 * classes (see src/http/errors.ts `errorHookResponse`).
 */
import { errorBody, type ErrorBody } from '../http/errors'
import { currentRequest } from '../lib/requestContext'

export const STORAGE_UNAVAILABLE = 'STORAGE_UNAVAILABLE'

/** Long enough for a pool to free a connection or a replica set to elect; short enough that people retry. */
export const STORAGE_RETRY_AFTER_SECONDS = 5

export const STORAGE_UNAVAILABLE_MESSAGE =
  'The database is busy or unreachable right now, so this request could not be completed. Try again in a few seconds.'

/** Driver and Mongoose errors that only ever mean "could not reach or keep the server". */
const CONNECTIVITY_ERROR_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
])

/**
 * Server codes the MongoDB retryable-reads/writes specifications list (node_modules/mongodb/lib/error.js keeps
 * the set private), plus WriteConflict and lock timeouts, which a fresh attempt usually wins.
 */
const RETRYABLE_SERVER_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  24, // LockTimeout
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
])

const RETRYABLE_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'PoolRequstedRetry']

/**
 * FerretDB passes its backend's failures on as InternalError (code 1) with the backend's text: PostgreSQL's
 * connection errors (SQLSTATE class 08), "too many clients"/"too many connections" (53300), shutdowns and
 * restarts (57P01–57P03), serialization failures and deadlocks (40001, 40P01), a refused connection; or
 * SQLite's "database is locked".
 */
const FERRETDB_BACKEND_TRANSIENT =
  /SQLSTATE (?:08[0-9A-Z]{3}|53300|57P0[123]|40001|40P01)|too many (?:clients|connections)|failed to connect to|connection refused|database is locked|SQLITE_BUSY/i

/** Mongoose queues operations while disconnected and gives up with this message. */
const MONGOOSE_BUFFERING_TIMEOUT = /buffering timed out/i

type ErrorLike = {
  name?: unknown
  code?: unknown
  codeName?: unknown
  message?: unknown
  cause?: unknown
  originalError?: unknown
  errorLabels?: unknown
  hasErrorLabel?: unknown
  writeErrors?: unknown
  errorResponse?: unknown
}

export function isRetryableStorageError(error: unknown): boolean {
  return errorChain(error).some(isRetryableItself)
}

/**
 * The connection to the database server failed, so no reply says what became of the operation: the server may
 * still carry it out. (A reply, even an error, means the server is done with it.)
 */
export function isConnectionLost(error: unknown): boolean {
  return errorChain(error).some((candidate) => typeof candidate.name === 'string' && CONNECTIVITY_ERROR_NAMES.has(candidate.name))
}

function isRetryableItself(error: ErrorLike): boolean {
  const name = typeof error.name === 'string' ? error.name : ''
  const message = typeof error.message === 'string' ? error.message : ''
  if (CONNECTIVITY_ERROR_NAMES.has(name)) return true
  if (name === 'MongooseError' && MONGOOSE_BUFFERING_TIMEOUT.test(message)) return true
  if (!name.startsWith('Mongo')) return false
  if (typeof error.code === 'number' && RETRYABLE_SERVER_CODES.has(error.code)) return true
  if (hasRetryableLabel(error)) return true
  if (isFerretdbBackendFailure(error.code, error.codeName, message)) return true
  // An unordered bulk write reports each document's failure separately (FerretDB: one per document).
  return writeErrorsOf(error).some((writeError) => {
    const code = writeError.code ?? writeError.err?.code
    const text = writeError.errmsg ?? writeError.err?.errmsg ?? ''
    return (typeof code === 'number' && RETRYABLE_SERVER_CODES.has(code)) || isFerretdbBackendFailure(code, undefined, text)
  })
}

function isFerretdbBackendFailure(code: unknown, codeName: unknown, message: string): boolean {
  const internal = code === 1 || codeName === 'InternalError' || code === undefined
  return internal && FERRETDB_BACKEND_TRANSIENT.test(message)
}

function hasRetryableLabel(error: ErrorLike): boolean {
  if (typeof error.hasErrorLabel === 'function') {
    const has = error.hasErrorLabel as (label: string) => boolean
    if (RETRYABLE_LABELS.some((label) => has.call(error, label))) return true
  }
  return Array.isArray(error.errorLabels) && error.errorLabels.some((label) => RETRYABLE_LABELS.includes(String(label)))
}

type WriteErrorLike = { code?: unknown; errmsg?: string; err?: { code?: unknown; errmsg?: string } }

function writeErrorsOf(error: ErrorLike): WriteErrorLike[] {
  const list = error.writeErrors
  if (Array.isArray(list)) return list as WriteErrorLike[]
  return list && typeof list === 'object' ? [list as WriteErrorLike] : []
}

/** The error, what it wraps (`cause`), and for GraphQL the resolver's error (`originalError`). */
function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = []
  let current: unknown = error
  while (current && typeof current === 'object' && chain.length < 8 && !chain.includes(current as ErrorLike)) {
    const candidate = current as ErrorLike
    chain.push(candidate)
    current = candidate.originalError ?? candidate.cause
  }
  return chain
}

/** What the logs say about a storage error: enough to tell outages apart, without a stack per request. */
export function describeStorageError(error: unknown): { name?: string; code?: unknown; message?: string } {
  const chain = errorChain(error)
  const cause = chain.find(isRetryableItself) ?? chain.at(-1) ?? {}
  return {
    name: typeof cause.name === 'string' ? cause.name : undefined,
    code: cause.code,
    message: typeof cause.message === 'string' ? cause.message.replace(/\s+/g, ' ').slice(0, 300) : undefined,
  }
}

/** The answer to a request that met one, in Payload's error shape. */
export function storageUnavailableBody(): ErrorBody {
  return errorBody(STORAGE_UNAVAILABLE_MESSAGE, { code: STORAGE_UNAVAILABLE })
}

const NOTING = Symbol.for('tutortrack.notesStorageFailures')

/**
 * Payload's sign-in by token answers "nobody" when its user lookup fails for any reason, a database outage
 * included (payload/dist/auth/strategies/jwt.js catches every error). Noting each retryable failure of a database
 * adapter call on the request being served (src/lib/requestContext.ts) lets every route tell
 * "not signed in" from "could not check" (src/lib/signInUnchecked.ts). Calls and results are unchanged.
 */
export function noteStorageFailuresOf(adapter: object): void {
  const target = adapter as Record<string | symbol, unknown>
  if (target[NOTING]) return
  target[NOTING] = true
  for (const key of Object.keys(target)) {
    const original = target[key]
    if (typeof original !== 'function') continue
    target[key] = function (this: unknown, ...args: unknown[]) {
      try {
        const result = original.apply(this, args)
        return result instanceof Promise ? result.catch(noteAndRethrow) : result
      } catch (error) {
        return noteAndRethrow(error)
      }
    }
  }
}

function noteAndRethrow(error: unknown): never {
  const request = currentRequest()
  if (request && request.storageFailure === undefined && isRetryableStorageError(error)) request.storageFailure = error
  throw error
}
