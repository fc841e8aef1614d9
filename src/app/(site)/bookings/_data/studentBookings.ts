import config from '@payload-config'
import { headers as requestHeaders } from 'next/headers'
import { getPayload, type Payload } from 'payload'

import { isStudent } from '../../../../access/roles'
import type { Appointment, Student, Tutor } from '../../../../payload-types'
import { canStudentCancel, HOUR_MS, isBooked, isValidTimeZone, refOf, resolveBookingPolicy } from '../../../../scheduling'

/** One session as the student's pages show it: facts only, the words come from the catalog. */
export type BookingView = {
  id: string
  start: number
  end: number
  status: NonNullable<Appointment['status']>
  tutor: { name: string; slug: string | null; timeZone: string }
  place: string | null
  notes: string | null
  cancellationReason: string | null
  /** Still to come and booked. */
  upcoming: boolean
  /** Cancel and reschedule are the student's until this instant (the tutor's cut-off before the start). */
  changeableUntil: number
  /** Upcoming and before the cut-off: the student may cancel or move it themself. */
  changeable: boolean
  cutoffHours: number
}

export type SignedIn = { payload: Payload; user: NonNullable<Awaited<ReturnType<Payload['auth']>>['user']> }
export type SignedInStudent = SignedIn & { student: Student; timeZone: string }

/** Whoever the cookie signs in (a student or staff), or null. */
export async function signedIn(): Promise<SignedIn | null> {
  const payload = await getPayload({ config })
  const { user } = await payload.auth({ headers: await requestHeaders() })
  return user ? { payload, user } : null
}

/** The signed-in student with their zone, or null for anyone else (signed out, staff). */
export function asStudent(person: SignedIn | null): SignedInStudent | null {
  if (!person || !isStudent({ user: person.user } as never)) return null
  const student = person.user as unknown as Student
  return { ...person, student, timeZone: isValidTimeZone(student.timeZone) ? student.timeZone : 'UTC' }
}

type PublicTutor = Pick<Tutor, 'id' | 'name' | 'slug' | 'timeZone' | 'policy'>

/** The public facts of these tutors (a booking keeps its tutor even if the profile was since deactivated). */
async function tutorsById(payload: Payload, ids: string[]): Promise<Map<string, PublicTutor>> {
  if (ids.length === 0) return new Map()
  const found = await payload.find({
    collection: 'tutors',
    where: { id: { in: ids } },
    select: { name: true, slug: true, timeZone: true, policy: true },
    depth: 0,
    limit: ids.length,
    pagination: false,
    overrideAccess: true,
  })
  return new Map(found.docs.map((tutor) => [String(tutor.id), tutor as PublicTutor]))
}

function toView(appointment: Appointment, tutor: PublicTutor | undefined, now: number): BookingView {
  const start = Date.parse(appointment.start)
  const end = Date.parse(appointment.end)
  const status = appointment.status ?? 'booked'
  const policy = resolveBookingPolicy(tutor?.policy ?? {})
  const upcoming = isBooked(status) && end > now
  // The rule itself lives in src/scheduling (the cancel endpoint asks the same question).
  const changeable = upcoming && canStudentCancel({ start, now, policy, studentTimeZone: 'UTC' }).ok
  return {
    id: String(appointment.id),
    start,
    end,
    status,
    tutor: { name: tutor?.name ?? '', slug: tutor?.slug ?? null, timeZone: tutor?.timeZone ?? 'UTC' },
    place: appointment.meetingLocation?.trim() || null,
    notes: appointment.notes?.trim() || null,
    cancellationReason: appointment.cancellation?.reason?.trim() || null,
    upcoming,
    changeableUntil: start - policy.cancellationCutoffHours * HOUR_MS,
    changeable,
    cutoffHours: policy.cancellationCutoffHours,
  }
}

const MAX_PAST = 50

/** The student's sessions: upcoming (soonest first) and past or cancelled (latest first), read with their own access. */
export async function loadStudentBookings(signedIn: SignedInStudent, now = Date.now()): Promise<{ upcoming: BookingView[]; past: BookingView[] }> {
  const { payload, student } = signedIn
  const own = { student: { equals: student.id } }
  const [upcoming, past] = await Promise.all([
    payload.find({
      collection: 'appointments',
      where: { and: [own, { status: { equals: 'booked' } }, { end: { greater_than: new Date(now).toISOString() } }] },
      sort: 'start',
      depth: 0,
      pagination: false,
      limit: 200,
      overrideAccess: false,
      user: student as never,
    }),
    payload.find({
      collection: 'appointments',
      where: { and: [own, { or: [{ status: { not_equals: 'booked' } }, { end: { less_than_equal: new Date(now).toISOString() } }] }] },
      sort: '-start',
      depth: 0,
      limit: MAX_PAST,
      overrideAccess: false,
      user: student as never,
    }),
  ])
  const tutors = await tutorsById(payload, [...new Set([...upcoming.docs, ...past.docs].map((doc) => refOf(doc.tutor)).filter((id): id is string => Boolean(id)))])
  const view = (doc: Appointment) => toView(doc, tutors.get(refOf(doc.tutor) ?? ''), now)
  return { upcoming: upcoming.docs.map(view), past: past.docs.map(view) }
}

/** One session the signed-in person may read (the student's own; staff any), or null. */
export async function loadBooking(person: SignedIn, id: string, now = Date.now()): Promise<BookingView | null> {
  const { payload, user } = person
  const doc = (await payload
    .findByID({ collection: 'appointments', id, depth: 0, user, overrideAccess: false, disableErrors: true })
    .catch(() => null)) as Appointment | null
  if (!doc) return null
  const tutors = await tutorsById(payload, [refOf(doc.tutor) ?? ''].filter(Boolean))
  return toView(doc, tutors.get(refOf(doc.tutor) ?? ''), now)
}
