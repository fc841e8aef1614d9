import type { PayloadRequest } from 'payload'
import { z } from 'zod'

import { GRANULE_MINUTES, MAX_SESSION_MINUTES } from '../scheduling'
import { readJsonObject } from '../http/body'
import { BookingError } from './bookingErrors'

/** The shapes of booking requests (zod), and the one way a bad one is refused: a 400 naming the field. */

/** The booking endpoints' JSON body (src/http/body.ts), a refusal thrown as a BookingError like every other of theirs. */
export async function readJsonBody(req: PayloadRequest): Promise<Record<string, unknown>> {
  const body = await readJsonObject(req, { multipart: false })
  if (!body.ok) throw new BookingError('INVALID_REQUEST', body.message)
  return body.data
}

/** Parses with a zod schema; the first problem becomes a 400 naming the field. */
export function parseOrRefuse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue.path.length ? issue.path.join('.') : undefined
  const message = field ? `${field}: ${issue.message}` : issue.message
  throw new BookingError('INVALID_REQUEST', message, field)
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

/** An ISO-8601 date-time with an explicit offset, e.g. 2026-12-01T15:00:00Z; returns epoch ms. */
export const isoInstant = z
  .string({ error: 'must be an ISO date-time string such as 2026-12-01T15:00:00Z' })
  .regex(ISO_INSTANT, 'must be an ISO date-time with a time zone offset, such as 2026-12-01T15:00:00Z')
  .transform((value, context) => {
    const ms = Date.parse(value)
    if (!Number.isFinite(ms)) {
      context.addIssue({ code: 'custom', message: 'is not a real date-time' })
      return z.NEVER
    }
    return ms
  })

export const documentId = z
  .string({ error: 'must be a document id string' })
  .regex(/^[0-9a-f]{24}$/i, 'must be a 24-character document id')

export const durationMinutes = z.coerce
  .number({ error: 'must be a number of minutes' })
  .int('must be a whole number of minutes')
  .min(GRANULE_MINUTES, `must be at least ${GRANULE_MINUTES} minutes`)
  .max(MAX_SESSION_MINUTES, `must be at most ${MAX_SESSION_MINUTES} minutes`)
