import type { Payload } from 'payload'

import type { Appointment, Tutor } from '../payload-types'
import { studentClaimInterval, tutorBlockedInterval } from '../scheduling'
import { claimDocuments } from './claimStore'
import { claimStoreFor } from './claimStoreFor'
import { ACTIVE_STATUS } from './busyTimes'
import { intervalOf, tutorScheduleFromDoc } from './tutorSchedule'

/** A claim with no appointment behind it after this long came from a request that died midway. */
export const DEFAULT_ORPHAN_CLAIM_BOUND_MS = 2 * 60 * 1000

export function orphanClaimBoundMs(): number {
  const raw = Number(process.env.ORPHAN_CLAIM_BOUND_MS)
  return Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_ORPHAN_CLAIM_BOUND_MS
}

const refId = (value: unknown): string => (value && typeof value === 'object' ? String((value as { id: unknown }).id) : String(value))

/**
 * Frees time held by requests that died between claiming and saving (or between moving and releasing).
 * Only claims older than the bound are touched, so an in-flight booking or move is never disturbed.
 * Safe to run on every replica at once: it only deletes claims that no live appointment needs.
 */
export async function sweepOrphanClaims(payload: Payload, options: { boundMs?: number; now?: number } = {}): Promise<number> {
  const boundMs = options.boundMs ?? orphanClaimBoundMs()
  const before = new Date((options.now ?? Date.now()) - boundMs)
  const store = await claimStoreFor(payload)
  let released = 0
  for (const holder of await store.staleHolders(before)) {
    const found = await payload.find({
      collection: 'appointments',
      where: { bookingKey: { equals: holder } },
      depth: 0,
      limit: 1,
      overrideAccess: true,
    })
    const appointment = found.docs[0] as Appointment | undefined
    if (!appointment || appointment.status !== ACTIVE_STATUS) {
      released += await store.releaseStale(holder, [], before)
      continue
    }
    const tutor = (await payload.findByID({ collection: 'tutors', id: refId(appointment.tutor), depth: 0, overrideAccess: true, disableErrors: true })) as Tutor | null
    if (!tutor) continue
    const session = intervalOf(appointment)
    const needed = claimDocuments({
      holder,
      tutorId: refId(appointment.tutor),
      studentId: refId(appointment.student),
      tutorInterval: tutorBlockedInterval(session, tutorScheduleFromDoc(tutor).policy),
      studentInterval: studentClaimInterval(session),
    }).map((doc) => doc._id)
    released += await store.releaseStale(holder, needed, before)
  }
  if (released > 0) payload.logger.info({ event: 'claims.swept', released }, `released ${released} orphaned booking claims`)
  return released
}
