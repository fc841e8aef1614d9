import type { Endpoint, PayloadRequest, RequiredDataFromCollectionSlug } from 'payload'
import { z } from 'zod'

import { isStaff } from '../../../src/access/roles'
import { BookingError, bookingErrorResponse } from '../../../src/booking/bookingErrors'
import { IdempotencyStore, MAX_IDEMPOTENCY_KEY_LENGTH } from '../../../src/booking/idempotency'
import { documentId, durationMinutes, isoInstant, parseOrRefuse, readJsonBody } from '../../../src/booking/requestSchemas'
import { builtInHandler } from '../../../src/http/builtInHandler'
import { errorBody } from '../../../src/http/errors'
import { studentApiText } from '../../../src/i18n/apiText'
import { BOOKED, sessionEnd } from '../../../src/scheduling'
import { refuseIfBookingTooFast } from '../../../src/security/bookingLimit'
import { mongoDb } from '../../../src/storage/db'
import { studentBookingRefusal } from '../access'

const bookingRequest = z.strictObject(
  {
    tutor: documentId,
    start: isoInstant,
    duration: durationMinutes,
    notes: z.string({ error: 'must be text' }).max(2000, 'must be at most 2000 characters').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}. Send tutor, start, duration and notes.` : undefined) },
)

/**
 * POST /api/appointments for students: `{ tutor, start, duration, notes }`; the student is always the caller.
 * Staff requests (the admin panel's own form posts) go on to Payload's built-in create, which runs the same
 * booking hooks.
 */
export const bookAppointmentEndpoint: Endpoint = {
  path: '/',
  method: 'post',
  handler: async (req) => {
    if (isStaff(req)) return builtInHandler(req, 'appointments', bookAppointmentEndpoint)(req)
    const refusal = studentBookingRefusal(req)
    if (refusal) {
      const say = studentApiText(req)
      const key = refusal.code === 'UNAUTHENTICATED' ? 'signInToBook' : refusal.code === 'FORBIDDEN' ? 'onlyStudentsBook' : 'verifyToBook'
      return bookingErrorResponse(refusal.code, say(key))
    }
    const tooFast = await refuseIfBookingTooFast(req)
    if (tooFast) return tooFast
    const body = await readJsonBody(req)
    const request = parseOrRefuse(bookingRequest, body)
    const key = req.headers.get('idempotency-key')
    if (key !== null && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      return bookingErrorResponse('INVALID_REQUEST', `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`)
    }
    if (!key) return book(req, request)

    const store = new IdempotencyStore(mongoDb(req.payload))
    const started = await store.begin(`booking:${req.user!.id}`, key, body)
    if (started.kind === 'mismatch') {
      return bookingErrorResponse('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body. Use a new key.')
    }
    if (started.kind === 'in_progress') {
      // Its owner usually answers within a second; one that died is taken over once past the orphan bound.
      return bookingErrorResponse('IDEMPOTENT_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed. Retry in a moment.', undefined, {
        'Retry-After': '1',
      })
    }
    if (started.kind === 'replay') {
      return Response.json(started.response, { status: started.status, headers: { 'Idempotent-Replayed': 'true' } })
    }
    let response: Response
    try {
      response = await book(req, request)
    } catch (error) {
      if (error instanceof BookingError) {
        const body = errorBody(error.message, error.data)
        await started.finish(error.status, body)
        return Response.json(body, { status: error.status })
      }
      // Unexpected failures are not remembered, so a retry can succeed. If the database cannot even take the
      // record back (it is why we are here, often), a retry takes it over once it is stale (IdempotencyStore).
      await started.abandon().catch(() => undefined)
      throw error
    }
    // The session is booked: that is the answer, even if remembering it for replays fails.
    await started.finish(response.status, await response.clone().json()).catch((error: unknown) => {
      req.payload.logger.warn({ event: 'booking.idempotency_finish_failed', err: error }, 'booked, but the Idempotency-Key record could not be completed')
    })
    return response
  },
}

async function book(req: PayloadRequest, request: z.infer<typeof bookingRequest>): Promise<Response> {
  const doc = await req.payload.create({
    collection: 'appointments',
    // No student: assignBookingStudent sets the caller, for every way of writing (REST, GraphQL, Local API).
    data: {
      tutor: request.tutor,
      start: new Date(request.start).toISOString(),
      end: new Date(sessionEnd(request.start, request.duration)).toISOString(),
      notes: request.notes,
      status: BOOKED,
    } as RequiredDataFromCollectionSlug<'appointments'>,
    depth: 0,
    overrideAccess: false,
    req,
  })
  return Response.json({ doc, message: studentApiText(req)('booked') }, { status: 201 })
}
