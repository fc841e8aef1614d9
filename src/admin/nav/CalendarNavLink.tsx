import type { ServerProps } from 'payload'
import Link from 'next/link'

/** Custom views get no nav entry of their own; shown to roles that may read sessions. */
export function CalendarNavLink({ permissions }: ServerProps) {
  if (!permissions?.collections?.appointments?.read) return null
  return (
    <Link className="nav__link" href="/admin/calendar" id="nav-calendar" prefetch={false}>
      <span className="nav__link-label">Calendar</span>
    </Link>
  )
}
