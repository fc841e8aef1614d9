/**
 * The confirm step talks to the booking REST API like any client: POST /api/appointments (with an
 * Idempotency-Key, so a retried click cannot book twice) or POST /api/appointments/:id/reschedule.
 */
export type BookingRequest = { tutor: string; start: string; duration: number; notes?: string; reschedule?: string | null; idempotencyKey: string }
export type BookingAnswer = { ok: boolean; status: number; message: string; code: string | null; appointmentId: string | null }

export async function sendBooking(request: BookingRequest): Promise<BookingAnswer> {
  const moving = Boolean(request.reschedule)
  const path = moving ? `/api/appointments/${request.reschedule}/reschedule` : '/api/appointments'
  const body = moving
    ? { start: request.start, duration: request.duration }
    : { tutor: request.tutor, start: request.start, duration: request.duration, ...(request.notes ? { notes: request.notes } : {}) }
  try {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', ...(moving ? {} : { 'Idempotency-Key': request.idempotencyKey }) },
      body: JSON.stringify(body),
    })
    const answer = (await response.json().catch(() => ({}))) as { doc?: { id?: string }; message?: string; errors?: { message?: string; data?: { code?: string } }[] }
    const error = answer.errors?.[0]
    // The API's message is shown as it is: it is written for the person who asked (never a field path).
    return {
      ok: response.ok,
      status: response.status,
      message: error?.message ?? (response.ok ? '' : (answer.message ?? '')),
      code: error?.data?.code ?? null,
      appointmentId: answer.doc?.id ? String(answer.doc.id) : null,
    }
  } catch {
    return { ok: false, status: 0, message: '', code: null, appointmentId: null }
  }
}

/** A fresh key per attempt that got an answer; kept for a retry after a network failure or an outage (503). */
export const newIdempotencyKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
