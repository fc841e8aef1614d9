/**
 * What `GET /api` answers (src/server.ts): the main endpoints, GraphQL, and where they are documented, for a
 * person or a client exploring the API. test/integration/apiIndex.test.ts checks that every route listed here is
 * one the app serves.
 */
export type ApiIndexEntry = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; who: string; what: string }

export const API_ENDPOINTS: ApiIndexEntry[] = [
  { method: 'GET', path: '/api/tutors', who: 'anyone', what: 'Active tutors (Payload query: where, sort, limit, page).' },
  { method: 'GET', path: '/api/tutors/:id', who: 'anyone', what: 'One tutor.' },
  { method: 'GET', path: '/api/tutors/:id/availability', who: 'anyone', what: 'Open slots: ?from=&to=&duration=&tz= (at most 31 days).' },
  { method: 'POST', path: '/api/students', who: 'anyone', what: 'Register a student: { email, password, fullName, timeZone }; a verification email follows.' },
  { method: 'POST', path: '/api/students/verify/:token', who: 'anyone', what: 'Confirm a student email address with the token from the email.' },
  { method: 'POST', path: '/api/students/login', who: 'anyone', what: 'Student sign-in: { email, password } → token and cookie.' },
  { method: 'GET', path: '/api/students/me', who: 'student', what: 'The signed-in student.' },
  { method: 'POST', path: '/api/students/logout', who: 'student', what: 'Sign out.' },
  { method: 'POST', path: '/api/students/forgot-password', who: 'anyone', what: 'Email a password-reset link: { email }.' },
  { method: 'POST', path: '/api/students/reset-password', who: 'anyone', what: 'Set a new password: { token, password }.' },
  { method: 'POST', path: '/api/appointments', who: 'student', what: 'Book: { tutor, start, duration, notes }; optional Idempotency-Key header.' },
  { method: 'GET', path: '/api/appointments', who: 'student, staff', what: 'Your sessions (staff: all).' },
  { method: 'GET', path: '/api/appointments/:id', who: 'student, staff', what: 'One session.' },
  { method: 'POST', path: '/api/appointments/:id/cancel', who: 'student, staff', what: 'Cancel: { reason } (students before the tutor’s cut-off).' },
  { method: 'POST', path: '/api/appointments/:id/reschedule', who: 'student, staff', what: 'Move: { start, duration }.' },
  { method: 'POST', path: '/api/appointments/:id/message', who: 'student', what: 'Write to the tutor about this session: { message } (mailed; no address shared).' },
  { method: 'POST', path: '/api/users/login', who: 'staff', what: 'Staff sign-in (the admin panel uses it).' },
]

export function apiIndex(options: { serverUrl: string; playground: boolean }) {
  const base = options.serverUrl.replace(/\/+$/, '')
  return {
    name: 'TutorTrack API',
    errors: 'Every error: { "errors": [{ "message", "data": { "code", "field" } }] } with a stable code; 503 STORAGE_UNAVAILABLE comes with Retry-After.',
    auth: 'Send the token from /login as "Authorization: JWT <token>", or use the cookie it sets (browser origins: SERVER_URL).',
    endpoints: API_ENDPOINTS.map((entry) => ({ ...entry, url: `${base}${entry.path}` })),
    graphql: {
      url: `${base}/api/graphql`,
      ...(options.playground ? { playground: `${base}/api/graphql-playground` } : {}),
    },
    health: { liveness: `${base}/healthz`, readiness: `${base}/readyz` },
    adminPanel: `${base}/admin`,
    docs: {
      booking: 'README.md, section "Booking API" (codes and examples for every booking endpoint)',
      payloadRest: 'https://payloadcms.com/docs/rest-api/overview',
      payloadGraphql: 'https://payloadcms.com/docs/graphql/overview',
    },
  }
}
