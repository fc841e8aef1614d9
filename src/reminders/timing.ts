/** When reminder emails for a session fall due. Pure: the caller supplies the booking time. */

const MINUTE_MS = 60_000

/** A day before and an hour before the session. */
export const DEFAULT_REMINDER_OFFSETS_MINUTES: readonly number[] = Object.freeze([24 * 60, 60])

/** A reminder further ahead than the longest booking horizon could never be useful; larger values are typos. */
const MAX_REMINDER_OFFSET_MINUTES = 365 * 24 * 60

export type ReminderDue = { offsetMinutes: number; dueAt: number }

/**
 * One reminder per offset, due `offsetMinutes` before `start`, earliest first. Only reminders falling due
 * strictly after `bookedAt` are kept: a session booked 2 hours ahead gets the 1-hour reminder but not the
 * 24-hour one (sending it late at booking time would just repeat the confirmation), and a session whose
 * start has already passed gets none.
 */
export function reminderDueTimes(input: { start: number; offsetsMinutes: readonly number[]; bookedAt: number }): ReminderDue[] {
  const { start, offsetsMinutes, bookedAt } = input
  return [...new Set(offsetsMinutes)]
    .sort((a, b) => b - a)
    .map((offsetMinutes) => ({ offsetMinutes, dueAt: start - offsetMinutes * MINUTE_MS }))
    .filter((reminder) => reminder.dueAt > bookedAt)
}

/**
 * Reminder offsets from configuration, e.g. "1440,60" (minutes before the start). Unset or blank gives the
 * defaults; anything else that is not a list of positive whole minutes throws, so a typo stops the process
 * at start-up instead of silently sending no reminders. Duplicates are dropped; the result is largest first.
 */
export function parseReminderOffsets(value: string | undefined): number[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_REMINDER_OFFSETS_MINUTES]
  const entries = value.split(',').map((entry) => entry.trim())
  const offsets = entries.map((entry) => {
    if (!/^\d+$/.test(entry)) {
      throw new Error(
        `Reminder offsets must be a comma-separated list of whole minutes before the session, e.g. "1440,60"; "${entry}" in "${value}" is not a whole number.`,
      )
    }
    const minutes = Number(entry)
    if (minutes <= 0 || minutes > MAX_REMINDER_OFFSET_MINUTES) {
      throw new Error(`Reminder offset ${entry} in "${value}" must be between 1 and ${MAX_REMINDER_OFFSET_MINUTES} minutes.`)
    }
    return minutes
  })
  return [...new Set(offsets)].sort((a, b) => b - a)
}
