/**
 * Sorts a failed send into "try again later" and "will never work". Input is whatever the AWS SDK (SES v2),
 * nodemailer or Node's network stack threw; only plain properties are read, so this stays pure and testable.
 */
export type SendErrorClass = { retry: boolean; code: string; message: string }

/** SES / AWS errors that clear up by themselves: rate limits, quotas that refill, service-side faults. */
const TRANSIENT_NAMES = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'InternalServiceError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
  'SendTimeout',
  'ECONNREFUSED',
])

/** Errors that no retry fixes: the message, sender or account must change first. */
const PERMANENT_NAMES = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
  'ValidationException',
  'ValidationError',
  'InvalidParameterValue',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'EENVELOPE',
  'EMESSAGE',
])

/** Node / undici network failures: the request may not even have reached SES. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

const GENERIC_NAMES = new Set(['Error', 'Unknown', 'UnknownError'])

type ErrorLike = {
  name?: unknown
  code?: unknown
  errno?: unknown
  message?: unknown
  $fault?: unknown
  $retryable?: unknown
  $metadata?: { httpStatusCode?: unknown }
  cause?: unknown
  errors?: unknown
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/** The network error code of an error, its cause, or (Node's happy-eyeballs AggregateError) any inner error. */
function networkCode(error: ErrorLike, depth = 0): string | undefined {
  if (depth > 3 || !error || typeof error !== 'object') return undefined
  const code = text(error.code) ?? text(error.errno)
  if (code && NETWORK_CODES.has(code)) return code
  const inner = Array.isArray(error.errors) ? error.errors : []
  for (const candidate of [error.cause, ...inner]) {
    const found = networkCode(candidate as ErrorLike, depth + 1)
    if (found) return found
  }
  return undefined
}

export function classifySendError(raw: unknown): SendErrorClass {
  const error = (raw && typeof raw === 'object' ? raw : { message: String(raw) }) as ErrorLike
  const name = text(error.name)
  const status = typeof error.$metadata?.httpStatusCode === 'number' ? error.$metadata.httpStatusCode : undefined
  const message = (text(error.message) ?? name ?? 'Unknown error').slice(0, 1000)
  const network = networkCode(error)
  const nodemailerCode = text(error.code)

  const named = (code: string, retry: boolean): SendErrorClass => ({ retry, code, message })

  if (name && PERMANENT_NAMES.has(name)) return named(name, false)
  if (name && TRANSIENT_NAMES.has(name)) return named(name, true)
  if (network) return named(network, true)
  if (nodemailerCode && PERMANENT_NAMES.has(nodemailerCode)) return named(nodemailerCode, false)
  if (status !== undefined) {
    // A body the SDK could not map to a named error arrives as "Unknown" / "UnknownError": name the status instead.
    const label = name && !GENERIC_NAMES.has(name) ? name : `HTTP ${status}`
    if (status === 429 || status === 408 || status >= 500) return named(label, true)
    if (status >= 400) return named(label, false)
  }
  if (error.$retryable) return named(name ?? 'Retryable', true)
  if (error.$fault === 'server') return named(name ?? 'ServerFault', true)
  if (error.$fault === 'client') return named(name ?? 'ClientFault', false)
  // Nothing says what went wrong: retry, bounded by the attempt limit, rather than drop a message for good.
  return named(name ?? 'Error', true)
}

/** "ThrottlingException: Maximum sending rate exceeded." — what admins see in the outbox. */
export function describeSendError(error: SendErrorClass): string {
  return error.message.startsWith(error.code) ? error.message : `${error.code}: ${error.message}`
}
