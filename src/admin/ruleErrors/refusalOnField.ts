/**
 * A booking rule's refusal as the admin form can pin it to a field: `{ path, message }` from the error body
 * (`{ errors: [{ message, data: { code, field } }] }`, src/http/errors.ts), or null when the refusal names no field.
 */
export type FieldRefusal = { path: string; message: string }

export function refusalOnField(body: unknown): FieldRefusal | null {
  const first = (body as { errors?: unknown } | null)?.errors
  const error = Array.isArray(first) ? (first[0] as { message?: unknown; data?: { code?: unknown; field?: unknown } } | undefined) : undefined
  const path = error?.data?.field
  const message = error?.message
  if (typeof error?.data?.code !== 'string' || typeof path !== 'string' || !path || typeof message !== 'string' || !message) return null
  return { path, message }
}

/** Whether a request is the save of this document (a create of the collection, or a PATCH of its id). */
export function isSaveOf(request: { url: string; method: string }, apiRoute: string, collection: string, id: string | number | undefined): boolean {
  const method = request.method.toUpperCase()
  const { pathname } = new URL(request.url, 'http://admin.invalid')
  const base = `${apiRoute}/${collection}`
  if (method === 'POST') return pathname === base
  if (method === 'PATCH') return id !== undefined && pathname === `${base}/${encodeURIComponent(String(id))}`
  return false
}
