import config from '@payload-config'
import { getPayload } from 'payload'

import { answerAvailability, MAX_AVAILABILITY_RANGE_DAYS } from '../../../booking/availability'
import type { SubjectValue } from '../../../catalog/subjects'
import { DAY_MS, groupByLocalDay, type LocalDay, monthRange, nearestInstants, resolveBookingPolicy, splitRange, type BookingPolicy } from '../../../scheduling'
import { findTutorBySlug } from '../_finder/findTutors'

/** How the tutor meets students, never where: the place or link itself is private until a session is booked. */
export type MeetingKind = 'video' | 'place' | 'none'

export type BookableTutor = {
  id: string
  slug: string
  name: string
  bio: string | null
  photoUrl: string | null
  subjects: SubjectValue[]
  hourlyRate: number | null
  timeZone: string
  sessionLengths: number[]
  policy: BookingPolicy
  meetingKind: MeetingKind
}

export const meetingKindOf = (location: string | null | undefined): MeetingKind =>
  !location?.trim() ? 'none' : /^https?:\/\//i.test(location.trim()) ? 'video' : 'place'

export const isSlug = (slug: string): boolean => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)

/** An active tutor by slug, with only what a visitor may know (the private place is reduced to its kind). */
export async function findBookableTutor(slug: string): Promise<BookableTutor | null> {
  const tutor = isSlug(slug) ? await findTutorBySlug(slug) : null
  if (!tutor) return null
  const payload = await getPayload({ config })
  // Read apart and reduced at once: the place or link itself never reaches the page.
  const meeting = await payload.findByID({ collection: 'tutors', id: tutor.id, depth: 0, overrideAccess: true, select: { meetingLocation: true } })
  return {
    id: String(tutor.id),
    slug: tutor.slug,
    name: tutor.name,
    bio: tutor.bio ?? null,
    photoUrl: tutor.photoUrl ?? null,
    subjects: (tutor.subjects ?? []) as SubjectValue[],
    hourlyRate: typeof tutor.hourlyRate === 'number' ? tutor.hourlyRate : null,
    timeZone: tutor.timeZone,
    sessionLengths: (tutor.sessionLengths ?? []).filter((length): length is number => typeof length === 'number'),
    policy: resolveBookingPolicy(tutor.policy ?? {}),
    meetingKind: meetingKindOf(meeting?.meetingLocation),
  }
}

/**
 * The open slot starts in [start, end), as GET /api/tutors/:id/availability serves them (same rules, same
 * per-replica answer cache): asked in pieces the API accepts, never recomputed here.
 */
export async function openStarts(tutorId: string, duration: number, start: number, end: number): Promise<number[]> {
  const payload = await getPayload({ config })
  const pieces = splitRange(start, end, MAX_AVAILABILITY_RANGE_DAYS * DAY_MS)
  const answers = await Promise.all(
    pieces.map((piece) =>
      answerAvailability(payload, tutorId, { from: new Date(piece.start).toISOString(), to: new Date(piece.end).toISOString(), duration: String(duration) }, { viewer: 'public' }),
    ),
  )
  return answers.flatMap((answer) => (answer.status === 200 ? ((answer.body as { slots: { start: string }[] }).slots ?? []).map((slot) => Date.parse(slot.start)) : []))
}

/** The local days (in `timeZone`) that have at least one open start, and each day's starts. */
export const startsByDay = (starts: number[], timeZone: string): Map<LocalDay, number[]> => groupByLocalDay(starts, timeZone)

const NEAREST_WINDOW_DAYS = 7
const NEAREST_COUNT = 6

/** Whether `start` is still offered, and otherwise the free starts nearest to it (for "that time was just booked"). */
export async function slotStillFree(tutorId: string, duration: number, start: number): Promise<{ free: boolean; nearest: number[] }> {
  const around = await openStarts(tutorId, duration, Math.max(Date.now(), start - NEAREST_WINDOW_DAYS * DAY_MS), start + NEAREST_WINDOW_DAYS * DAY_MS)
  if (around.includes(start)) return { free: true, nearest: [] }
  return { free: false, nearest: nearestInstants(around, start, NEAREST_COUNT) }
}
