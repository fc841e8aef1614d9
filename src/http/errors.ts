import type { Response as ExpressResponse } from 'express'

/**
 * The one builder of error bodies, in Payload's shape `{ errors: [{ message, data? }] }`. Every answer we write
 * ourselves (endpoints, Express routes, the GraphQL guard, afterError hooks) goes through here, so clients parse
 * one shape. A body without `data` today stays without it: pass no code.
 */
export type ErrorData = Record<string, unknown>

export type ErrorBody = { errors: [{ message: string; data?: ErrorData }] }

export function errorBody(message: string, data?: ErrorData): ErrorBody {
  return { errors: [data === undefined ? { message } : { message, data }] }
}

/** `data` for a code, an optional field and any extra keys (in that order), or none without a code. */
function dataOf(code: string | undefined, field?: string, extra?: ErrorData): ErrorData | undefined {
  if (code === undefined) return undefined
  return { code, ...(field ? { field } : {}), ...extra }
}

export type ErrorOptions = { field?: string; headers?: HeadersInit; extra?: ErrorData }

/** A Web (Fetch) error Response, for Payload endpoints and Next route handlers. */
export function errorResponse(status: number, code: string | undefined, message: string, options: ErrorOptions = {}): Response {
  return Response.json(errorBody(message, dataOf(code, options.field, options.extra)), { status, headers: options.headers })
}

/** The same answer on an Express response, for the routes Express serves itself. */
export function sendError(res: ExpressResponse, status: number, code: string | undefined, message: string, extra?: ErrorData): void {
  res.status(status).json(errorBody(message, dataOf(code, undefined, extra)))
}

type NamedError = { name?: string; message?: string; data?: ErrorData; status?: number }

/**
 * The afterError answer for an error of this name: `{ errors: [{ name, message, data }] }` with its status.
 * Payload adds `data` only to errors that are `instanceof` its own classes, and in a production build the route
 * handler and our code can hold different copies of them, so errors are matched by name.
 */
export function errorHookResponse(error: unknown, name: string, defaultStatus?: number): { response: { message?: string; errors: NamedError[] }; status: number | undefined } | undefined {
  const candidate = error as NamedError | null
  if (candidate?.name !== name || !candidate.data) return undefined
  return {
    response: { errors: [{ name: candidate.name, message: candidate.message, data: candidate.data }] },
    status: candidate.status ?? defaultStatus,
  }
}

/** A BookingError (matched by name, see above) as the status and body a route answers with; undefined for any other error. */
export function refusalOf(error: unknown): { status: number; body: ErrorBody } | undefined {
  const refusal = error as { name?: string; status?: number; message?: string; data?: { code: string; field?: string } } | null
  if (refusal?.name !== 'BookingError' || !refusal.data) return undefined
  return { status: refusal.status ?? 400, body: errorBody(refusal.message ?? 'Bad request', dataOf(refusal.data.code, refusal.data.field)) }
}
