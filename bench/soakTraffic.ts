// The soak's traffic (bench/soak.ts): 70 % slot searches, 20 % tutor reads, 10 % bookings and their cancels by
// many students, and the bookkeeping that says which answers were expected.
import type { LoadRequest, LoadResult } from '../test/helpers/load'

export type SoakTutor = { id: string; slug: string }
export type SoakStudent = { id: string; token: string }

export type SoakKind = 'search' | 'tutor-api' | 'tutor-page' | 'book' | 'cancel'

/** ok: the answer wanted; conflict: a 409 the rules owe a booking that lost a slot (expected, counted apart); error: anything else. */
export type Outcome = 'ok' | 'conflict' | 'error'

type Booking = {
  id: string
  student: SoakStudent
  tutorId: string
  start: string
  duration: number
  bookedAt: number
  cancelSentAt?: number
  /** An earlier cancel got no answer or a 503: it may have gone through. */
  cancelUnanswered?: boolean
}
type CancelMeta = { booking: Booking; retry: boolean }
type BookMeta = { student: SoakStudent; tutorId: string; start: string; duration: number; contends?: Booking }

/** The refusals a booking may meet when another student holds the slot, or the student their own time. */
const EXPECTED_CONFLICTS = new Set(['SLOT_UNAVAILABLE', 'STUDENT_BUSY'])
const DAY_MS = 86_400_000
const ZONES = ['UTC', 'America/New_York', 'Europe/Madrid', 'Asia/Tokyo']

export type SoakTrafficOptions = {
  tutors: SoakTutor[]
  students: SoakStudent[]
  /** A booking is cancelled once it is this old (the next write after that cancels it). */
  cancelAfterMs: number
  /** Bookings and searches fall in `days` days from `firstDay` (UTC midnight) on. */
  firstDay: number
  days: number
  /** Share of bookings aimed at a slot another student holds right now (each should be refused with a 409). */
  contendedShare: number
  seed?: number
}

/** A small seeded generator, so two runs send the same sequence of choices. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export function soakTraffic(options: SoakTrafficOptions) {
  const rand = random(options.seed ?? 18)
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]
  const freeStudents = [...options.students]
  /** Booked and not yet sent a cancel, oldest first. */
  const live: Booking[] = []
  const bookMeta = new WeakMap<LoadRequest, BookMeta>()
  const cancelMeta = new WeakMap<LoadRequest, CancelMeta>()
  const ledger = {
    /** Ids of every appointment booked (201), and of those cancelled (200), during the run or the clean-up. */
    booked: [] as string[],
    cancelled: new Set<string>(),
    contended: 0,
    /** A contended booking answered 201 while the booking it contended for was still held: two students, one slot. */
    doubleBookings: [] as string[],
  }

  const takeStudent = (): SoakStudent | undefined => {
    if (freeStudents.length === 0) return undefined
    const i = Math.floor(rand() * freeStudents.length)
    const [student] = freeStudents.splice(i, 1)
    return student
  }

  const search = (): LoadRequest => {
    const tutor = pick(options.tutors)
    const from = options.firstDay + Math.floor(rand() * options.days) * DAY_MS
    const span = rand() < 0.5 ? 1 : 7
    const query = `from=${new Date(from).toISOString()}&to=${new Date(from + span * DAY_MS).toISOString()}&duration=${pick([30, 60])}&tz=${pick(ZONES)}`
    return { kind: 'search', method: 'GET', path: `/api/tutors/${tutor.id}/availability?${query}` }
  }

  const read = (i: number): LoadRequest => {
    const tutor = pick(options.tutors)
    return i % 2 === 0
      ? { kind: 'tutor-api', method: 'GET', path: `/api/tutors/${tutor.id}?depth=0` }
      : { kind: 'tutor-page', method: 'GET', path: `/tutors/${tutor.slug}` }
  }

  const book = (student: SoakStudent): LoadRequest => {
    let meta: BookMeta
    const target = live.length > 0 && rand() < options.contendedShare ? pick(live) : undefined
    if (target) {
      ledger.contended++
      meta = { student, tutorId: target.tutorId, start: target.start, duration: target.duration, contends: target }
    } else {
      const duration = pick([30, 60])
      // Half-hour starts; a 60-minute session never runs past midnight (each day's hours end at 24:00).
      const halfHour = Math.floor(rand() * (duration === 60 ? 47 : 48))
      const start = options.firstDay + Math.floor(rand() * options.days) * DAY_MS + halfHour * 1_800_000
      meta = { student, tutorId: pick(options.tutors).id, start: new Date(start).toISOString(), duration }
    }
    const request: LoadRequest = {
      kind: 'book',
      method: 'POST',
      path: '/api/appointments',
      token: student.token,
      body: { tutor: meta.tutorId, start: meta.start, duration: meta.duration },
      ok: (status) => status === 201,
    }
    bookMeta.set(request, meta)
    return request
  }

  const cancel = (booking: Booking): LoadRequest => {
    booking.cancelSentAt = Date.now()
    const request: LoadRequest = cancelRequest(booking)
    cancelMeta.set(request, { booking, retry: booking.cancelUnanswered === true })
    return request
  }

  /** One in ten is a write: the oldest booking's cancel once it is due (or no student is free), else a booking. */
  const write = (): LoadRequest => {
    const due = live.length > 0 && Date.now() - live[0].bookedAt >= options.cancelAfterMs
    if (due || (freeStudents.length === 0 && live.length > 0)) return cancel(live.shift()!)
    const student = takeStudent()
    return student ? book(student) : search()
  }

  const next = (i: number): LoadRequest => {
    const slot = i % 10
    if (slot < 7) return search()
    if (slot < 9) return read(Math.floor(i / 10))
    return write()
  }

  const outcome = (result: LoadResult): Outcome => {
    if (result.error) return 'error'
    switch (result.kind as SoakKind) {
      case 'book':
        if (result.status === 201) return 'ok'
        return result.status === 409 && EXPECTED_CONFLICTS.has(errorCode(result.body) ?? '') ? 'conflict' : 'error'
      case 'cancel':
        // A retried cancel told "not booked" means the unanswered one before it went through (that one counted).
        return result.status === 200 || (cancelMeta.get(result.request)?.retry && errorCode(result.body) === 'NOT_CANCELLABLE') ? 'ok' : 'error'
      default:
        return result.status === 200 ? 'ok' : 'error'
    }
  }

  /** Keeps the ledger and frees the student once a write is answered. */
  const onResult = (result: LoadResult): void => {
    const meta = bookMeta.get(result.request)
    if (meta) {
      const id = result.status === 201 ? appointmentId(result.body) : undefined
      if (id) {
        ledger.booked.push(id)
        live.push({ id, student: meta.student, tutorId: meta.tutorId, start: meta.start, duration: meta.duration, bookedAt: Date.now() })
        if (meta.contends && meta.contends.cancelSentAt === undefined) ledger.doubleBookings.push(`${id} took ${meta.contends.id}'s slot ${meta.start}`)
      } else {
        freeStudents.push(meta.student)
      }
      return
    }
    const cancelled = cancelMeta.get(result.request)
    if (!cancelled) return
    const { booking } = cancelled
    if (result.status === 200 || (cancelled.retry && errorCode(result.body) === 'NOT_CANCELLABLE')) {
      ledger.cancelled.add(booking.id)
      freeStudents.push(booking.student)
    } else if (!cancelled.retry && (result.error || result.status === 503)) {
      // Unanswered: sent once more later (it may have gone through; see outcome()).
      booking.cancelUnanswered = true
      live.push(booking)
    }
  }

  return {
    next,
    outcome,
    onResult,
    ledger,
    /** Bookings still held (no successful cancel yet), for the clean-up after the run. */
    held: () => [...live],
    /** Records a clean-up cancel's answer. */
    recordCancel: (booking: Booking, done: boolean) => {
      if (done) ledger.cancelled.add(booking.id)
    },
  }
}

export type SoakBooking = Booking

export const cancelRequest = (booking: Booking): LoadRequest => ({
  kind: 'cancel',
  method: 'POST',
  path: `/api/appointments/${booking.id}/cancel`,
  token: booking.student.token,
  body: { reason: 'soak' },
  ok: (status) => status === 200,
})

const errorCode = (body: unknown): string | undefined => (body as { errors?: { data?: { code?: string } }[] } | undefined)?.errors?.[0]?.data?.code

const appointmentId = (body: unknown): string | undefined => {
  const id = (body as { doc?: { id?: unknown } } | undefined)?.doc?.id
  return id === undefined ? undefined : String(id)
}
