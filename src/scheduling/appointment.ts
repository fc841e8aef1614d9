/** An appointment's status, length and identity: the rules every booking step shares (pure; no Payload). */

import { MINUTE_MS } from './intervals'

export const APPOINTMENT_STATUSES = [
  { label: 'Booked', value: 'booked' },
  { label: 'Cancelled', value: 'cancelled' },
  { label: 'Completed', value: 'completed' },
  { label: 'No-show', value: 'no_show' },
] as const

export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]['value']

/** The one status that holds time and owes reminders. */
export const BOOKED = 'booked' satisfies AppointmentStatus

/** Strict: only a stored 'booked' counts (mail, cancel/reschedule, the sweeper). */
export const isBooked = (status: unknown): boolean => status === BOOKED

/** For writes: a status not given yet counts as booked, because that is the field's default. */
export const isActiveStatus = (status: unknown): boolean => isBooked(status ?? BOOKED)

/** Sessions longer than this are refused: almost certainly a typo, and each one costs a claim per granule. */
export const MAX_SESSION_MINUTES = 8 * 60
export const MAX_SESSION_MS = MAX_SESSION_MINUTES * MINUTE_MS

/** End of a session that starts at `startMs` and lasts `minutes`, as epoch ms. */
export const sessionEnd = (startMs: number, minutes: number): number => startMs + minutes * MINUTE_MS

/** Length in minutes of a session between two instants (ISO text or epoch ms). */
export const sessionMinutes = (start: string | number, end: string | number): number =>
  (toMs(end) - toMs(start)) / MINUTE_MS

/** The id of a relationship value, populated (`{ id }`) or not; undefined when there is none. */
export function refOf(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined
  if (typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id)
  return String(value)
}

/**
 * The fields (of those asked about) whose values differ between two versions of an appointment. A populated
 * relationship equals its id, the same instant written differently is no change, and null equals missing.
 */
export function changedFields<F extends string>(before: object | null | undefined, after: object | null | undefined, fields: readonly F[]): F[] {
  const valueOf = (doc: object | null | undefined, field: F) => (doc as Partial<Record<F, unknown>> | null | undefined)?.[field]
  return fields.filter((field) => comparable(valueOf(before, field)) !== comparable(valueOf(after, field)))
}

/** What mail and other observers compare: ids as text, instants as ISO text, missing as ''/null. */
export type AppointmentSnapshot = {
  status?: string | null
  start: string
  end: string
  tutor: string
  student: string
  meetingLocation?: string | null
}

type AppointmentLike = {
  status?: string | null
  start?: unknown
  end?: unknown
  tutor?: unknown
  student?: unknown
  meetingLocation?: string | null
}

export function appointmentSnapshot(doc: AppointmentLike): AppointmentSnapshot {
  return {
    status: doc.status ?? null,
    start: isoOf(doc.start),
    end: isoOf(doc.end),
    tutor: refOf(doc.tutor) ?? '',
    student: refOf(doc.student) ?? '',
    meetingLocation: doc.meetingLocation ?? null,
  }
}

const toMs = (value: string | number): number => (typeof value === 'number' ? value : Date.parse(value))

/** An instant as ISO text (so the same instant written differently compares equal); anything else as given. */
function isoOf(value: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  const time = new Date(value as string).getTime()
  return Number.isFinite(time) ? new Date(time).toISOString() : String(value)
}

const INSTANT_TEXT = /^\d{4}-\d{2}-\d{2}T/

function comparable(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : 'Invalid Date'
  if (typeof value === 'string' && INSTANT_TEXT.test(value)) return isoOf(value)
  if (typeof value === 'object') return 'id' in value ? String((value as { id: unknown }).id) : JSON.stringify(value)
  return String(value)
}
