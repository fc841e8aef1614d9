import { APIError } from 'payload'

import { errorResponse } from '../http/errors'
import type { BookingRefusalCode } from '../scheduling'

/** The scheduling rules' refusals, and the request-level ones only the booking routes give. */
export type BookingErrorCode =
  | BookingRefusalCode
  | 'INVALID_REQUEST'
  | 'TUTOR_INACTIVE'
  | 'TUTOR_NOT_FOUND'
  | 'STUDENT_NOT_FOUND'
  | 'APPOINTMENT_NOT_FOUND'
  | 'NOT_CANCELLABLE'
  | 'CANCELLATION_CUTOFF_PASSED'
  | 'UNAUTHENTICATED'
  | 'EMAIL_NOT_VERIFIED'
  | 'FORBIDDEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENT_REQUEST_IN_PROGRESS'
  | 'SESSION_IN_PAST'
  | 'STRANDS_BOOKED_SESSIONS'

const STATUS_BY_CODE: Record<BookingErrorCode, number> = {
  INVALID_REQUEST: 400,
  INVALID_DURATION: 400,
  MISALIGNED_START: 400,
  // Like TOO_SOON or OUTSIDE_AVAILABILITY: a well-formed time that this tutor's rules do not offer.
  NOT_AN_OFFERED_START: 409,
  TOO_SOON: 409,
  TOO_FAR: 409,
  OUTSIDE_AVAILABILITY: 409,
  SLOT_UNAVAILABLE: 409,
  STUDENT_BUSY: 409,
  TUTOR_INACTIVE: 409,
  TUTOR_NOT_FOUND: 400,
  STUDENT_NOT_FOUND: 400,
  APPOINTMENT_NOT_FOUND: 404,
  NOT_CANCELLABLE: 409,
  CANCELLATION_CUTOFF_PASSED: 409,
  UNAUTHENTICATED: 401,
  EMAIL_NOT_VERIFIED: 403,
  FORBIDDEN: 403,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENT_REQUEST_IN_PROGRESS: 409,
  // Staff writes the rules refuse: a booking in the past (mail would go out), hours that strand booked sessions.
  SESSION_IN_PAST: 409,
  STRANDS_BOOKED_SESSIONS: 409,
}

/**
 * A refusal the client can act on. Payload renders it as `{ errors: [{ message, data: { code } }] }`,
 * over REST and GraphQL alike, so every client sees the same stable code.
 */
export class BookingError extends APIError<{ code: BookingErrorCode; field?: string }> {
  readonly code: BookingErrorCode

  constructor(code: BookingErrorCode, message: string, field?: string) {
    super(message, STATUS_BY_CODE[code], field ? { code, field } : { code }, true)
    this.code = code
    this.name = 'BookingError'
  }
}

/** A refusal answered directly by an endpoint, with the status its code has (body built by src/http/errors.ts). */
export function bookingErrorResponse(code: BookingErrorCode, message: string, field?: string, headers?: Record<string, string>): Response {
  return errorResponse(STATUS_BY_CODE[code], code, message, { field, headers })
}
