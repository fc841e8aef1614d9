'use client'
import { DateTime } from 'luxon'
import Link from 'next/link'

import { instantTime, sessionTime, zoneName } from '../formatTime'
import { useViewerZone } from '../viewerZone'
import type { DashboardData, MailRow, SessionRow } from './dashboardData'

const STATUS_LABELS: Record<string, string> = { booked: 'Booked', cancelled: 'Cancelled', completed: 'Completed', no_show: 'No-show' }
const sessionHref = (id: string) => `/admin/collections/appointments/${id}`

/** Sessions split into the viewer's today, tomorrow and the five days after (booked only), in the viewer's zone. */
function byDay(sessions: SessionRow[], zone: string, now: string) {
  const today = DateTime.fromISO(now, { zone }).startOf('day')
  const tomorrow = today.plus({ days: 1 })
  const dayAfter = today.plus({ days: 2 })
  const weekEnd = today.plus({ days: 7 })
  const within = (row: SessionRow, from: DateTime, to: DateTime) => {
    const start = DateTime.fromISO(row.start, { zone })
    return start >= from && start < to
  }
  return {
    today: sessions.filter((row) => within(row, today, tomorrow)),
    tomorrow: sessions.filter((row) => within(row, tomorrow, dayAfter)),
    laterThisWeek: sessions.filter((row) => row.status === 'booked' && within(row, dayAfter, weekEnd)),
  }
}

function SessionTable({ id, title, rows, zone, empty, when = 'start' }: { id: string; title: string; rows: SessionRow[]; zone: string; empty: string; when?: 'start' | 'cancelledAt' }) {
  return (
    <section className="tt-dashboard__panel" aria-labelledby={id}>
      <h2 id={id} className="tt-dashboard__title">{title}</h2>
      {rows.length === 0 ? (
        <p className="tt-dashboard__empty">{empty}</p>
      ) : (
        <table className="tt-dashboard__table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Tutor</th>
              <th scope="col">Student</th>
              <th scope="col">{when === 'cancelledAt' ? 'Cancelled' : 'Status'}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-session-id={row.id}>
                <td>
                  <Link href={sessionHref(row.id)}>{sessionTime(row.start, row.end, zone)}</Link>
                </td>
                <td>{row.tutor}</td>
                <td>{row.student}</td>
                <td>
                  {when === 'cancelledAt' ? (
                    row.cancelledAt ? instantTime(row.cancelledAt, zone) : '—'
                  ) : (
                    <span className={`tt-status tt-status--${row.status}`}>{STATUS_LABELS[row.status] ?? row.status}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function MailTable({ rows, zone }: { rows: MailRow[]; zone: string }) {
  return (
    <section className="tt-dashboard__panel" aria-labelledby="tt-dashboard-mail">
      <h2 id="tt-dashboard-mail" className="tt-dashboard__title">Mail that failed or is stuck</h2>
      {rows.length === 0 ? (
        <p className="tt-dashboard__empty">No failed or stuck mail: everything queued has been sent or is waiting for its time.</p>
      ) : (
        <table className="tt-dashboard__table">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">To</th>
              <th scope="col">Status</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-email-id={row.id}>
                <td>
                  <Link href={`/admin/collections/emails/${row.id}`}>{row.subject}</Link>
                  {row.lastError ? <div className="tt-dashboard__detail">{row.lastError}</div> : null}
                </td>
                <td>{row.to}</td>
                <td>{row.status === 'failed' ? 'Failed' : `Stuck (${row.status})`}</td>
                <td>{instantTime(row.at, zone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** The dashboard's lists, rendered once the browser's zone is known (times and "today" depend on it). */
export function DashboardLists({ data }: { data: DashboardData }) {
  const zone = useViewerZone()
  if (data.sessions === null && data.mail === null) {
    return (
      <section className="tt-dashboard" aria-label="Overview">
        <p className="tt-dashboard__note">Your role keeps tutor profiles: sessions, students and mail are not shown to it. Open Tutors below.</p>
      </section>
    )
  }
  if (!zone) {
    return (
      <section className="tt-dashboard" aria-label="Overview" aria-busy="true">
        <p className="tt-dashboard__note">Loading the overview…</p>
      </section>
    )
  }
  const days = data.sessions ? byDay(data.sessions, zone, data.now) : null
  return (
    <section className="tt-dashboard" aria-label="Overview">
      <p className="tt-dashboard__zone" data-testid="viewer-zone">
        Times in your browser’s time zone: <strong>{zoneName(zone)}</strong>
      </p>
      <div className="tt-dashboard__grid">
        {days ? (
          <>
            <SessionTable id="tt-dashboard-today" title="Today" rows={days.today} zone={zone} empty="No sessions today." />
            <SessionTable id="tt-dashboard-tomorrow" title="Tomorrow" rows={days.tomorrow} zone={zone} empty="No sessions tomorrow." />
            <SessionTable id="tt-dashboard-week" title="Booked later this week" rows={days.laterThisWeek} zone={zone} empty="No more bookings in the next seven days." />
            <SessionTable
              id="tt-dashboard-cancelled"
              title="Cancelled in the last 7 days"
              rows={data.cancellations ?? []}
              zone={zone}
              empty="No cancellations in the last seven days."
              when="cancelledAt"
            />
          </>
        ) : null}
        {data.mail ? <MailTable rows={data.mail} zone={zone} /> : null}
      </div>
    </section>
  )
}
