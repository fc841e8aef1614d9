/** Public scheduling API: pure functions over epoch-millisecond instants; no Payload, no I/O, no clock. */
export {
  type Interval,
  MINUTE_MS,
  HOUR_MS,
  DAY_MS,
  isEmptyInterval,
  overlaps,
  containsInterval,
  normalizeIntervals,
  subtractIntervals,
  intersectIntervals,
  clipToRange,
  widen,
  findOverlap,
} from './intervals'
export {
  type AppointmentStatus,
  type AppointmentSnapshot,
  APPOINTMENT_STATUSES,
  BOOKED,
  isBooked,
  isActiveStatus,
  MAX_SESSION_MINUTES,
  MAX_SESSION_MS,
  sessionEnd,
  sessionMinutes,
  refOf,
  changedFields,
  appointmentSnapshot,
} from './appointment'
export {
  type BookingPolicy,
  type BookingPolicyOverrides,
  GRANULE_MINUTES,
  DEFAULT_BOOKING_POLICY,
  resolveBookingPolicy,
  bookingPolicyProblems,
} from './policy'
export {
  type TutorSchedule,
  type BookingRefusalCode,
  type BookingCheck,
  weeklyWindows,
  openSlots,
  checkBooking,
  canStudentCancel,
  durationProblem,
  isOfferedStartTime,
  readerFor,
} from './availability'
export { type Audience, type Reader, type RefusalFacts, refusalMessage, sessionInPastMessage, strandedSessionsMessage } from './messages'
export { type BookedSession, type StrandedSession, type StrandingCause, type TutorHours, strandedSessions } from './stranding'
export {
  GRANULE_MS,
  claimGranules,
  tutorBlockedInterval,
  tutorBookingsConflict,
  studentClaimInterval,
  isGranuleAligned,
} from './claims'
export { formatLocalDateTime, formatLocalRange } from './format'
export { isValidTimeZone, timeZoneErrorMessage } from './timeZones'
export { type DateOverride, type LocalTimeRange, isLocalDate, rangesProblem, duplicateDates } from './dateOverrides'
export { type WeeklyRule, type Weekday, WEEKDAYS, isLocalTime, minutesOfDay } from './weeklyRules'
export {
  type LocalDay,
  type LocalMonth,
  localDayOf,
  groupByLocalDay,
  monthOfDay,
  parseLocalDay,
  parseLocalMonth,
  monthRange,
  shiftMonth,
  splitRange,
  freeCancellationUntil,
  nearestInstants,
  noonOf,
} from './localDays'
