/** A tutor's booking rules, with defaults for whatever the tutor left empty. */

export type BookingPolicy = {
  /** Offered start times are this many minutes apart, counted from local midnight (09:00, 09:30, …). */
  slotIntervalMinutes: number
  /** Earliest bookable start, in minutes after now. */
  minimumNoticeMinutes: number
  /** Latest bookable start, in days after now. */
  bookingHorizonDays: number
  /** Free time the tutor keeps before each session. */
  bufferBeforeMinutes: number
  /** Free time the tutor keeps after each session. */
  bufferAfterMinutes: number
  /** Students may cancel until this many hours before the start. */
  cancellationCutoffHours: number
}

/**
 * Every start, duration and buffer is a multiple of this many minutes, and granules are aligned to the epoch.
 * Bookings are made conflict-safe across replicas by inserting one uniquely indexed claim document per
 * granule an appointment blocks: with aligned, granule-sized bounds, two blocked intervals overlap exactly
 * when they share a granule, so the database's unique index rejects the second of two racing bookings.
 * Five minutes keeps the claim count small (an 8-hour session is 96 claims) while allowing any sensible start.
 * Every current UTC offset is a multiple of 15 minutes, so local times on the 5-minute grid stay aligned.
 */
export const GRANULE_MINUTES = 5

export const DEFAULT_BOOKING_POLICY: Readonly<BookingPolicy> = Object.freeze({
  slotIntervalMinutes: 30,
  minimumNoticeMinutes: 12 * 60,
  bookingHorizonDays: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  cancellationCutoffHours: 24,
})

export type BookingPolicyOverrides = Partial<Record<keyof BookingPolicy | 'minimumNoticeHours', number | null | undefined>>

/**
 * The tutor's policy with defaults filled in. The tutor document stores notice as `minimumNoticeHours`;
 * when both that and `minimumNoticeMinutes` are given, the minutes win because they are more precise.
 * Throws a RangeError naming every problem when a stored value cannot be used (see bookingPolicyProblems).
 */
export function resolveBookingPolicy(overrides: BookingPolicyOverrides = {}): BookingPolicy {
  const noticeFromHours = present(overrides.minimumNoticeHours) ? overrides.minimumNoticeHours * 60 : undefined
  const policy: BookingPolicy = {
    slotIntervalMinutes: pick(overrides.slotIntervalMinutes, DEFAULT_BOOKING_POLICY.slotIntervalMinutes),
    minimumNoticeMinutes: pick(overrides.minimumNoticeMinutes, noticeFromHours ?? DEFAULT_BOOKING_POLICY.minimumNoticeMinutes),
    bookingHorizonDays: pick(overrides.bookingHorizonDays, DEFAULT_BOOKING_POLICY.bookingHorizonDays),
    bufferBeforeMinutes: pick(overrides.bufferBeforeMinutes, DEFAULT_BOOKING_POLICY.bufferBeforeMinutes),
    bufferAfterMinutes: pick(overrides.bufferAfterMinutes, DEFAULT_BOOKING_POLICY.bufferAfterMinutes),
    cancellationCutoffHours: pick(overrides.cancellationCutoffHours, DEFAULT_BOOKING_POLICY.cancellationCutoffHours),
  }
  const problems = bookingPolicyProblems(policy)
  if (problems.length > 0) throw new RangeError(`Invalid booking policy: ${problems.join(' ')}`)
  return policy
}

/**
 * Human-readable reasons the policy cannot be used; empty when it is fine.
 * Exported so the tutor form can show the same rules the scheduler enforces.
 */
export function bookingPolicyProblems(policy: BookingPolicy): string[] {
  const problems: string[] = []
  if (!isPositiveGranuleMultiple(policy.slotIntervalMinutes)) {
    problems.push(`Start times every ${policy.slotIntervalMinutes} minutes: use a positive multiple of ${GRANULE_MINUTES} minutes, e.g. 30.`)
  } else if (policy.slotIntervalMinutes > 24 * 60) {
    problems.push('Start times cannot be more than a day apart.')
  }
  if (!isNonNegativeFinite(policy.minimumNoticeMinutes)) {
    problems.push(`Minimum notice of ${policy.minimumNoticeMinutes} minutes: use zero or more.`)
  }
  if (!(Number.isFinite(policy.bookingHorizonDays) && policy.bookingHorizonDays > 0)) {
    problems.push(`Booking horizon of ${policy.bookingHorizonDays} days: use more than zero days.`)
  }
  for (const [label, value] of [
    ['Buffer before', policy.bufferBeforeMinutes],
    ['Buffer after', policy.bufferAfterMinutes],
  ] as const) {
    if (!(value === 0 || isPositiveGranuleMultiple(value))) {
      problems.push(`${label} of ${value} minutes: use zero or a multiple of ${GRANULE_MINUTES} minutes.`)
    }
  }
  if (!isNonNegativeFinite(policy.cancellationCutoffHours)) {
    problems.push(`Cancellation cutoff of ${policy.cancellationCutoffHours} hours: use zero or more.`)
  }
  return problems
}

export function isPositiveGranuleMultiple(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes > 0 && minutes % GRANULE_MINUTES === 0
}

function isNonNegativeFinite(value: number): boolean {
  return Number.isFinite(value) && value >= 0
}

function present(value: number | null | undefined): value is number {
  return value !== null && value !== undefined
}

function pick(value: number | null | undefined, fallback: number): number {
  return present(value) ? value : fallback
}
