import config from '@payload-config'
import { headers } from 'next/headers'
import { getPayload } from 'payload'

import type { Appointment, Student, Tutor, User } from '../../../payload-types'

export type SiteUser = (Student & { collection: 'students' }) | (User & { collection: 'users' })

/** Who is signed in on this request (Payload's cookie), or null. */
export async function currentUser(): Promise<SiteUser | null> {
  const payload = await getPayload({ config })
  const { user } = await payload.auth({ headers: await headers() })
  return (user as SiteUser | null) ?? null
}

/**
 * An appointment as the signed-in person may see it (their own, or any for staff: the collection's access
 * rules decide), with its tutor; null when there is none they may see.
 */
export async function ownAppointment(user: SiteUser | null, id: string): Promise<(Appointment & { tutor: Tutor }) | null> {
  if (!user) return null
  const payload = await getPayload({ config })
  const found = await payload.findByID({ collection: 'appointments', id, depth: 1, user, overrideAccess: false, disableErrors: true }).catch(() => null)
  return found && typeof found.tutor === 'object' ? (found as Appointment & { tutor: Tutor }) : null
}
