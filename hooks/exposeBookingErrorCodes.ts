import type { AfterErrorHook } from 'payload'

/**
 * Keeps the machine-readable code on booking refusals in REST responses. Payload adds `data` only for
 * errors that are `instanceof` its own APIError, and in a production build the route handler and our hooks
 * can hold different copies of that class, so the check is done by name here.
 */
export const exposeBookingErrorCodes: AfterErrorHook = ({ error }) => {
  const candidate = error as { name?: string; message?: string; data?: Record<string, unknown>; status?: number }
  if (candidate?.name !== 'BookingError' || !candidate.data) return
  return {
    response: { errors: [{ name: candidate.name, message: candidate.message, data: candidate.data }] },
    status: candidate.status,
  }
}
