/**
 * The "pending choice" a visitor returns to after signing in or verifying their email (`?next=`). Only a path on
 * this site is accepted — never another origin ("//evil.example", "/\\evil.example", "https://…"), so the
 * parameter cannot be used as an open redirect. Pure: used by the pages and by the verification mail.
 */
export const NEXT_PATH_MAX_LENGTH = 512

const BASE = 'http://tutortrack.invalid'

export function safeNextPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > NEXT_PATH_MAX_LENGTH) return null
  // A single leading slash, then no second slash or backslash (protocol-relative and browser-normalised forms).
  if (!/^\/(?![/\\])/.test(value) || value.includes('\\')) return null
  // Control characters and whitespace are stripped or normalised differently by browsers: refuse them.
  if (/[\u0000-\u0020\u007f]/.test(value)) return null
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return null
  }
  if (url.origin !== BASE) return null
  // The API and the admin panel are not places to return a person to.
  if (/^\/(api|admin)(\/|$)/.test(url.pathname)) return null
  return `${url.pathname}${url.search}${url.hash}`
}
