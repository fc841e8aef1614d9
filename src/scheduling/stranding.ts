/**
 * Which booked sessions a change to a tutor's weekly hours, date overrides or time off would strand (pure; no Payload).
 *
 * A session is stranded when the change itself puts it out of bounds: it now overlaps time off it did not
 * overlap before, or it lay inside the weekly hours before and no longer does. A session staff booked outside
 * the hours on purpose is not stranded by an unrelated edit.
 */
import type { TutorSchedule } from './availability'
import { weeklyWindows } from './availability'
import { containsInterval, type Interval, overlaps } from './intervals'

export type TutorHours = Pick<TutorSchedule, 'timeZone' | 'weeklyRules' | 'dateOverrides' | 'timeOff'>

export type BookedSession = Interval & { id: string; studentName?: string }

export type StrandingCause = 'time_off' | 'weekly_hours'

export type StrandedSession = BookedSession & { cause: StrandingCause }

const inTimeOff = (hours: TutorHours, session: Interval): boolean => hours.timeOff.some((off) => overlaps(off, session))

function withinWeeklyHours(hours: TutorHours, session: Interval): boolean {
  // The windows come back merged and clipped to the session: it is covered only by one window that holds it.
  const windows = weeklyWindows({ timeZone: hours.timeZone, weeklyRules: hours.weeklyRules, dateOverrides: hours.dateOverrides, range: session })
  return windows.length === 1 && containsInterval(windows[0], session)
}

/** The future sessions (start after `now`) that `after` strands and `before` did not, in start order. */
export function strandedSessions(input: { before: TutorHours; after: TutorHours; sessions: readonly BookedSession[]; now: number }): StrandedSession[] {
  const { before, after, now } = input
  const stranded: StrandedSession[] = []
  for (const session of input.sessions) {
    if (session.start <= now) continue
    if (inTimeOff(after, session) && !inTimeOff(before, session)) stranded.push({ ...session, cause: 'time_off' })
    else if (withinWeeklyHours(before, session) && !withinWeeklyHours(after, session)) stranded.push({ ...session, cause: 'weekly_hours' })
  }
  return stranded.sort((a, b) => a.start - b.start)
}
