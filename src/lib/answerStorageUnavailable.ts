import type { Response as ExpressResponse } from 'express'

import { logger } from './logger'
import { describeStorageError, isRetryableStorageError, STORAGE_RETRY_AFTER_SECONDS, storageUnavailableBody } from '../storage/errors'

/**
 * For the routes Express answers itself (src/server.ts): a storage error a retry can cure answers 503 with
 * `Retry-After` and STORAGE_UNAVAILABLE, logged once as a warning with the request (the logger adds it).
 * Returns false for any other error, which the caller handles.
 */
export function answerIfStorageUnavailable(res: ExpressResponse, error: unknown, details: Record<string, unknown> = {}): boolean {
  if (!isRetryableStorageError(error)) return false
  logger.warn({ event: 'storage.unavailable', ...details, storageError: describeStorageError(error) }, 'database unavailable; a retry can succeed')
  respondStorageUnavailable(res)
  return true
}

export function respondStorageUnavailable(res: ExpressResponse): void {
  res.setHeader('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS))
  res.status(503).json(storageUnavailableBody())
}
