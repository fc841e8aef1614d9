/**
 * The site's forms talk to the same REST endpoints as any client (rate limits, token checks, CSRF and error
 * format included). A same-origin JSON POST; the answer's message is what the person sees when it is refused.
 */
export async function postJson(path: string, body?: unknown): Promise<{ ok: boolean; status: number; message: string }> {
  try {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const answer = (await response.json().catch(() => ({}))) as { message?: string; errors?: { message?: string; data?: { errors?: { message?: string }[] } }[] }
    const error = answer.errors?.[0]
    const message = error?.data?.errors?.[0]?.message ?? error?.message ?? answer.message ?? ''
    return { ok: response.ok, status: response.status, message }
  } catch {
    return { ok: false, status: 0, message: 'We could not reach TutorTrack. Check your connection and try again.' }
  }
}

/** Payload's verification and reset tokens: 40 hex characters. */
export const isWellFormedToken = (token: unknown): token is string => typeof token === 'string' && /^[0-9a-f]{40}$/.test(token)
