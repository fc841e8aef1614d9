import { defaultLoggerOptions } from 'payload'
import pino, { type LoggerOptions } from 'pino'

import { requestLogFields } from './requestContext'
import { describeStorageError, isRetryableStorageError } from '../storage/errors'

const redact = { paths: ['password', '*.password', 'token', '*.token', 'req.headers.cookie', 'req.headers.authorization'], censor: '[redacted]' }

/** Structured JSON logs (one object per line) for the server process; Payload has its own pino logger. */
export const logger = pino({
  name: 'tutortrack',
  level: process.env.LOG_LEVEL || 'info',
  redact,
  // The request a line was written for (method and path), when there is one (src/lib/requestContext.ts).
  mixin: requestLogFields,
})

/**
 * Payload's logger (its `logger` config): JSON lines in production, its usual pretty output in development; in both,
 * each line says which request it was written for, and a storage error a retry can cure is one warning without a
 * stack (the request answered 503 STORAGE_UNAVAILABLE, src/http/afterError.ts) instead of an error
 * with one: during an outage that is one short line per refused request.
 */
export function payloadLoggerConfig(production: boolean): { options: LoggerOptions; destination?: pino.DestinationStream } {
  const options: LoggerOptions = {
    name: 'payload',
    level: process.env.LOG_LEVEL || 'info',
    mixin: requestLogFields,
    hooks: { logMethod: logStorageErrorsAsWarnings },
    ...(production ? { redact } : {}),
  }
  return production ? { options } : { options, destination: defaultLoggerOptions }
}

/** A line that names its own event (a step that tolerated the failure) keeps it, and its message. */
function logStorageErrorsAsWarnings(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, level: number): void {
  const [first, message] = args as unknown[]
  const fields = first instanceof Error ? { err: first } : first && typeof first === 'object' ? (first as { err?: unknown }) : undefined
  if (level >= 50 && fields?.err && isRetryableStorageError(fields.err)) {
    const { err, ...rest } = fields
    this.warn(
      { event: 'storage.unavailable', ...rest, storageError: describeStorageError(err) },
      typeof message === 'string' ? message : 'database unavailable; a retry can succeed',
    )
    return
  }
  method.apply(this, args)
}
