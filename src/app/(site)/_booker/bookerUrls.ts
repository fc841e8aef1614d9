/**
 * The booker keeps its whole state in the address, so every step is a plain link that works without
 * JavaScript and can be shared: which length, month and day, which zone, and whether a booking is being moved.
 */
export type BookerState = { duration?: number; month?: string; day?: string; tz?: string | null; reschedule?: string | null }

function query(values: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value))
  const text = search.toString()
  return text ? `?${text}` : ''
}

export const bookerHref = (slug: string, state: BookerState): string =>
  `/tutors/${slug}${query({ duration: state.duration, month: state.month, day: state.day, tz: state.tz, reschedule: state.reschedule })}`

export const confirmHref = (slug: string, input: { start: number; duration: number; tz?: string | null; reschedule?: string | null }): string =>
  `/tutors/${slug}/confirm${query({ start: new Date(input.start).toISOString(), duration: input.duration, tz: input.tz, reschedule: input.reschedule })}`

export const bookedHref = (appointmentId: string, tz?: string | null): string => `/booked/${appointmentId}${query({ tz })}`

/** Where sign-in and registration return to: a relative address on this site only. */
export const signInHrefs = (next: string): { login: string; register: string } => ({
  login: `/login${query({ next })}`,
  register: `/register${query({ next })}`,
})

export const isAppointmentId = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{24}$/.test(value)
