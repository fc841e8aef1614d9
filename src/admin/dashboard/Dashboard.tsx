import type { ServerProps } from 'payload'

import { loadDashboard } from './dashboardData'
import { DashboardLists } from './DashboardLists'
import './dashboard.css'

/**
 * Above Payload's collection cards (admin.components.beforeDashboard): today's and tomorrow's sessions, the rest of
 * the week's bookings, recent cancellations and mail in trouble — each list only for a role that may read it.
 */
export async function Dashboard({ payload, user, permissions }: ServerProps) {
  const data = await loadDashboard(payload, user ?? null, permissions)
  return <DashboardLists data={data} />
}
