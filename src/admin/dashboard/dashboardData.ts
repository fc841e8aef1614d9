import type { Payload, SanitizedPermissions, TypedUser, Where } from 'payload'

import type { Appointment, Email, Student, Tutor } from '../../payload-types'

/** One session as the dashboard shows it: only what a row needs crosses to the browser. */
export type SessionRow = { id: string; start: string; end: string; tutor: string; student: string; status: string; cancelledAt?: string }
export type MailRow = { id: string; subject: string; to: string; status: string; at: string; lastError?: string }

export type DashboardData = {
  now: string
  /** Null when the viewer's role may not read appointments (editors). */
  sessions: SessionRow[] | null
  cancellations: SessionRow[] | null
  /** Null when the viewer's role may not read the outbox (everyone but admins). */
  mail: MailRow[] | null
}

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS
/** Mail this long past its send time (or its send lease) is stuck: the dispatcher picks mail up within a minute. */
export const STUCK_AFTER_MS = 15 * 60 * 1000

const nameOf = (ref: unknown, field: 'name' | 'fullName'): string =>
  ref && typeof ref === 'object' ? String((ref as Record<string, unknown>)[field] ?? '—') : '—'

function sessionRow(doc: Appointment): SessionRow {
  return {
    id: String(doc.id),
    start: doc.start,
    end: doc.end,
    tutor: nameOf(doc.tutor as Tutor | string, 'name'),
    // A tutor may not read students: their rows carry the student's name in the virtual `studentName` instead.
    student: typeof doc.student === 'object' && doc.student ? nameOf(doc.student as Student, 'fullName') : (doc.studentName ?? '—'),
    status: doc.status ?? 'booked',
    cancelledAt: doc.cancellation?.at ?? (doc.status === 'cancelled' ? doc.updatedAt : undefined),
  }
}

/**
 * The dashboard's lists, read with the viewer's own access (overrideAccess: false), so each role sees only what
 * it may read — a tutor their own sessions. Sessions come for a window wide enough for "today" and "tomorrow" in
 * any zone; the browser sorts them into days in the viewer's zone.
 */
export async function loadDashboard(payload: Payload, user: TypedUser | null, permissions: SanitizedPermissions | undefined): Promise<DashboardData> {
  const now = Date.now()
  const asViewer = { user, overrideAccess: false as const, depth: 1, pagination: false as const }
  const mayReadSessions = Boolean(permissions?.collections?.appointments?.read)
  const mayReadMail = Boolean(permissions?.collections?.emails?.read)

  const sessionsWhere: Where = {
    and: [{ start: { greater_than_equal: new Date(now - 1.5 * DAY_MS).toISOString() } }, { start: { less_than: new Date(now + 9 * DAY_MS).toISOString() } }],
  }
  const cancellationsWhere: Where = {
    and: [{ status: { equals: 'cancelled' } }, { updatedAt: { greater_than_equal: new Date(now - 7 * DAY_MS).toISOString() } }],
  }
  const stuckBefore = new Date(now - STUCK_AFTER_MS).toISOString()
  const mailWhere: Where = {
    or: [
      { status: { equals: 'failed' } },
      // Reminders wait queued until their time: only mail overdue to be sent, or whose send lease ran out, is stuck.
      { and: [{ status: { equals: 'queued' } }, { nextAttemptAt: { less_than: stuckBefore } }] },
      { and: [{ status: { equals: 'sending' } }, { leaseUntil: { less_than: stuckBefore } }] },
    ],
  }

  const [sessions, cancellations, mail] = await Promise.all([
    mayReadSessions ? payload.find({ collection: 'appointments', where: sessionsWhere, sort: 'start', limit: 300, ...asViewer }) : null,
    mayReadSessions ? payload.find({ collection: 'appointments', where: cancellationsWhere, sort: '-updatedAt', limit: 25, ...asViewer }) : null,
    mayReadMail ? payload.find({ collection: 'emails', where: mailWhere, sort: '-updatedAt', limit: 25, ...asViewer, depth: 0 }) : null,
  ])
  return {
    now: new Date(now).toISOString(),
    sessions: sessions ? (sessions.docs as Appointment[]).map(sessionRow) : null,
    cancellations: cancellations ? (cancellations.docs as Appointment[]).map(sessionRow) : null,
    mail: mail
      ? (mail.docs as Email[]).map((doc) => ({
          id: String(doc.id),
          subject: doc.subject,
          to: doc.to,
          status: doc.status ?? 'queued',
          at: doc.updatedAt,
          lastError: doc.lastError ?? undefined,
        }))
      : null,
  }
}
