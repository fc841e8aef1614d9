/**
 * The site's forms talk to the same REST endpoints as any client (rate limits, token checks, CSRF and error
 * format included). A same-origin JSON request; the answer's message is what the person sees when it is refused,
 * and `fields` holds each refused field's own sentence (Payload's ValidationError `data.errors[].path`, or our
 * errors' `data.field`), so a form can show it beside that field instead of naming a field path.
 */
export type ApiAnswer = { ok: boolean; status: number; message: string; fields: Record<string, string>; body: unknown }

type ErrorEntry = { message?: string; data?: { field?: string; errors?: { message?: string; path?: string }[] } }

export async function sendJson(method: 'POST' | 'PATCH', path: string, body?: unknown): Promise<ApiAnswer> {
  try {
    const response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const answer = (await response.json().catch(() => ({}))) as { message?: string; errors?: ErrorEntry[] }
    const error = answer.errors?.[0]
    const fields: Record<string, string> = {}
    for (const entry of error?.data?.errors ?? []) {
      if (entry.path && entry.message && !(entry.path in fields)) fields[entry.path] = entry.message
    }
    if (error?.data?.field && error.message) fields[error.data.field] = error.message
    const message = error?.data?.errors?.[0]?.message ?? error?.message ?? answer.message ?? ''
    return { ok: response.ok, status: response.status, message, fields, body: answer }
  } catch {
    return { ok: false, status: 0, message: 'We could not reach TutorTrack. Check your connection and try again.', fields: {}, body: undefined }
  }
}

export const postJson = (path: string, body?: unknown): Promise<ApiAnswer> => sendJson('POST', path, body)

/** Payload's verification and reset tokens: 40 hex characters. */
export const isWellFormedToken = (token: unknown): token is string => typeof token === 'string' && /^[0-9a-f]{40}$/.test(token)
