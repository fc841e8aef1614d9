import type { Payload } from 'payload'

import type { Appointment } from '../payload-types'
import { isBooked, refOf, studentClaimInterval, tutorBlockedInterval } from '../scheduling'
import { claimDocuments, claimStoreFor } from './claimStore'
import { cachedTutor, intervalOf, tutorScheduleFromDoc } from '../readModels/tutors'

/** A claim with no appointment behind it after this long came from a request that died midway. */
export const DEFAULT_ORPHAN_CLAIM_BOUND_MS = 2 * 60 * 1000

export function orphanClaimBoundMs(): number {
  const raw = Number(process.env.ORPHAN_CLAIM_BOUND_MS)
  return Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_ORPHAN_CLAIM_BOUND_MS
}

/**
 * Frees time held by requests that died between claiming and saving (or between moving and releasing, or
 * between cancelling and releasing: those leave a marker claim, ClaimStore.markPendingRelease).
 * Only claims older than the bound are touched, so an in-flight booking or move is never disturbed. Each claim
 * is looked at once, in the sweep after it passes the bound (a checkpoint in the database says how far sweeps
 * got), so a sweep costs what was claimed since the last one, not what is booked.
 * Safe to run on every replica at once: it only deletes claims that no live appointment needs.
 */
export async function sweepOrphanClaims(payload: Payload, options: { boundMs?: number; now?: number } = {}): Promise<number> {
  const boundMs = options.boundMs ?? orphanClaimBoundMs()
  const before = new Date((options.now ?? Date.now()) - boundMs)
  const store = await claimStoreFor(payload)
  const since = await store.sweptUntil()
  const holders = await store.holdersCreatedBetween(since, before)
  let released = 0
  // One read for every holder's appointment: FerretDB answers a non-`_id` filter by reading the collection.
  const appointments = holders.length
    ? ((await payload.db.find({ collection: 'appointments', where: { bookingKey: { in: holders } }, limit: 0, pagination: false })).docs as unknown as Appointment[])
    : []
  const byKey = new Map(appointments.map((appointment) => [String(appointment.bookingKey), appointment]))
  for (const holder of holders) {
    const needed = await claimsNeededBy(payload, byKey.get(holder))
    if (!needed) continue
    released += await store.releaseStale(holder, needed, before)
  }
  // Never past the real clock: a sweep run with a future `now` (tests) must not hide claims made after it. An
  // idle sweep writes nothing: the next one just looks at the same empty stretch again.
  if (holders.length > 0) await store.recordSweptUntil(new Date(Math.min(before.getTime(), Date.now())))
  if (released > 0) payload.logger.info({ event: 'claims.swept', released, holders: holders.length }, `released ${released} orphaned booking claims`)
  return released
}

/**
 * The claims a stored appointment needs: none when there is none or it is no longer active; undefined when that
 * cannot be told (its tutor is gone), so nothing is freed.
 */
export async function claimsNeededBy(payload: Payload, appointment: Appointment | null | undefined): Promise<string[] | undefined> {
  if (!appointment || !isBooked(appointment.status)) return []
  const tutorId = refOf(appointment.tutor)
  const studentId = refOf(appointment.student)
  // Booking requires both, so this does not happen; if it did, which claims it needs cannot be told.
  if (!tutorId || !studentId) return undefined
  const tutor = await cachedTutor(payload, tutorId)
  if (!tutor) return undefined
  const session = intervalOf(appointment)
  return claimDocuments({
    holder: String(appointment.bookingKey),
    tutorId,
    studentId,
    tutorInterval: tutorBlockedInterval(session, tutorScheduleFromDoc(tutor).policy),
    studentInterval: studentClaimInterval(session),
  }).map((doc) => doc._id)
}
