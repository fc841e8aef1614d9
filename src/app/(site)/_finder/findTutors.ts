import config from '@payload-config'
import { getPayload, type Where } from 'payload'

import { answerAvailability } from '../../../booking/availability'
import { SUBJECTS, type SubjectValue } from '../../../catalog/subjects'
import { DAY_MS, isValidTimeZone } from '../../../scheduling'

/** What the finder page asks for, read from its address (and the visitor's `tz` cookie). */
export type FinderQuery = { q: string; subject: SubjectValue | null; visitorZone: string | null }

export type TutorCardData = {
  id: string
  slug: string
  name: string
  photoUrl: string | null
  subjects: SubjectValue[]
  hourlyRate: number | null
  timeZone: string
  /** The next bookable start (ms), or null when nothing is free within NEXT_FREE_SEARCH_DAYS. */
  nextFree: number | null
}

export { ZONE_COOKIE } from '../_zone/visitorZone'

const MAX_TUTORS = 50
const FIRST_WINDOW_DAYS = 7
/** The availability API answers at most 31 days per call: a second call looks beyond the first week. */
export const NEXT_FREE_SEARCH_DAYS = 31
const MAX_QUERY_LENGTH = 100

const firstOf = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''))

export function readFinderQuery(params: Record<string, string | string[] | undefined>, zoneCookie: string | undefined): FinderQuery {
  const subject = firstOf(params.subject)
  const zone = firstOf(params.tz) || zoneCookie || ''
  return {
    q: firstOf(params.q).trim().slice(0, MAX_QUERY_LENGTH),
    subject: SUBJECTS.some((known) => known.value === subject) ? (subject as SubjectValue) : null,
    visitorZone: zone && isValidTimeZone(zone) ? zone : null,
  }
}

/** Active tutors matching the search, each with their next free slot. */
export async function findTutors(query: FinderQuery): Promise<TutorCardData[]> {
  const payload = await getPayload({ config })
  const where: Where = { and: [{ active: { equals: true } }] }
  if (query.q) where.and!.push({ name: { like: query.q } })
  if (query.subject) where.and!.push({ subjects: { contains: query.subject } })
  const tutors = await payload.find({ collection: 'tutors', where, sort: 'name', limit: MAX_TUTORS, depth: 0, overrideAccess: false, pagination: false })
  return Promise.all(
    tutors.docs.map(async (tutor) => ({
      id: String(tutor.id),
      slug: tutor.slug,
      name: tutor.name,
      photoUrl: tutor.photoUrl ?? null,
      subjects: (tutor.subjects ?? []) as SubjectValue[],
      hourlyRate: typeof tutor.hourlyRate === 'number' ? tutor.hourlyRate : null,
      timeZone: tutor.timeZone,
      nextFree: await nextFreeSlot(String(tutor.id)),
    })),
  )
}

/** One active tutor by the slug in their page's address, or null. */
export async function findTutorBySlug(slug: string) {
  const payload = await getPayload({ config })
  const found = await payload.find({ collection: 'tutors', where: { and: [{ slug: { equals: slug } }, { active: { equals: true } }] }, limit: 1, depth: 0, overrideAccess: false, pagination: false })
  return found.docs[0] ?? null
}

/** The tutor's open slot starts in the API's default range (the next 7 days), as the API serves them. */
export async function upcomingSlots(tutorId: string): Promise<number[]> {
  const payload = await getPayload({ config })
  const answer = await answerAvailability(payload, tutorId, {}, { viewer: 'public' })
  if (answer.status !== 200) return []
  return ((answer.body as { slots: { start: string }[] }).slots ?? []).map((slot) => Date.parse(slot.start))
}

/**
 * The tutor's next open slot, read from the availability the API serves (GET /api/tutors/:id/availability:
 * same rules, same per-replica answer cache), never recomputed here. First week first (the API's default
 * range, the one most often cached), then the rest of the month.
 */
async function nextFreeSlot(tutorId: string): Promise<number | null> {
  const payload = await getPayload({ config })
  const firstWeek = await answerAvailability(payload, tutorId, {}, { viewer: 'public' })
  const first = firstSlotOf(firstWeek.body)
  if (first !== undefined || firstWeek.status !== 200) return first ?? null
  const from = (firstWeek.body as { to: string }).to
  const to = new Date(Date.parse(from) + (NEXT_FREE_SEARCH_DAYS - FIRST_WINDOW_DAYS) * DAY_MS).toISOString()
  const rest = await answerAvailability(payload, tutorId, { from, to }, { viewer: 'public' })
  return rest.status === 200 ? (firstSlotOf(rest.body) ?? null) : null
}

function firstSlotOf(body: unknown): number | undefined {
  const slot = (body as { slots?: { start: string }[] }).slots?.[0]
  return slot ? Date.parse(slot.start) : undefined
}
