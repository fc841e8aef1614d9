/**
 * The calendar's data, apart from its presentation: the tutors it may show, the sessions of the visible range
 * (read over REST with the viewer's cookie, so access control decides what a role sees), and the shading.
 */
import { type DateOverride, type Interval, weeklyWindows, type WeeklyRule } from '../../scheduling'

export type CalendarTutor = {
  id: string
  name: string
  timeZone: string
  weeklyRules: WeeklyRule[]
  dateOverrides: DateOverride[]
  timeOff: { start: string; end: string; reason?: string }[]
}

export type CalendarSession = {
  id: string
  title: string
  start: Date
  end: Date
  status: string
  tutorId: string
  /** The day view's column: the session's tutor. */
  resourceId: string
}

export type TimeOffBlock = { id: string; title: string; start: Date; end: Date; tutorId: string; resourceId: string; timeOff: true }

type RestAppointment = {
  id: string
  start: string
  end: string
  status?: string
  tutor: string | { id: string; name?: string }
  /** Absent for a tutor, who may not read students: they get `studentName` instead (hooks/appointments/showStudentToTutor.ts). */
  student?: string | { id: string; fullName?: string }
  studentName?: string | null
}

const idOf = (ref: string | { id: string }): string => (typeof ref === 'string' ? ref : String(ref.id))

/** The appointments REST query for sessions meeting [start, end), optionally of some tutors only. */
export function sessionsQuery(range: Interval, tutorIds: readonly string[]): string {
  const params = new URLSearchParams({
    'where[and][0][start][less_than]': new Date(range.end).toISOString(),
    'where[and][1][end][greater_than]': new Date(range.start).toISOString(),
    depth: '1',
    limit: '500',
    sort: 'start',
    // Only what a calendar tile needs from the populated tutor and student.
    'populate[tutors][name]': 'true',
    'populate[students][fullName]': 'true',
  })
  if (tutorIds.length > 0) params.set('where[and][2][tutor][in]', tutorIds.join(','))
  return `/api/appointments?${params.toString()}`
}

export function toCalendarSession(doc: RestAppointment, tutorNames: ReadonlyMap<string, string>): CalendarSession {
  const tutorId = idOf(doc.tutor)
  const tutorName = (typeof doc.tutor === 'object' && doc.tutor.name) || tutorNames.get(tutorId) || 'Tutor'
  const studentName = (typeof doc.student === 'object' && doc.student?.fullName) || doc.studentName || 'Student'
  return {
    id: String(doc.id),
    title: `${studentName} with ${tutorName}`,
    start: new Date(doc.start),
    end: new Date(doc.end),
    status: doc.status ?? 'booked',
    tutorId,
    resourceId: tutorId,
  }
}

/** Each shown tutor's time off in the range, as background blocks. */
export function timeOffBlocks(tutors: readonly CalendarTutor[], range: Interval): TimeOffBlock[] {
  return tutors.flatMap((tutor) =>
    tutor.timeOff
      .map((off, index) => ({ off, index, start: Date.parse(off.start), end: Date.parse(off.end) }))
      .filter(({ start, end }) => Number.isFinite(start) && Number.isFinite(end) && start < range.end && end > range.start)
      .map(({ off, index, start, end }) => ({
        id: `${tutor.id}-off-${index}`,
        title: `${tutor.name}: time off${off.reason ? ` (${off.reason})` : ''}`,
        start: new Date(Math.max(start, range.start)),
        end: new Date(Math.min(end, range.end)),
        tutorId: tutor.id,
        resourceId: tutor.id,
        timeOff: true as const,
      })),
  )
}

/** Each tutor's working hours in the range as instants (their weekly hours read in their own zone). */
export function workingWindows(tutors: readonly CalendarTutor[], range: Interval): Map<string, Interval[]> {
  return new Map(tutors.map((tutor) => [tutor.id, weeklyWindows({ timeZone: tutor.timeZone, weeklyRules: tutor.weeklyRules, dateOverrides: tutor.dateOverrides, range })]))
}

/** Whether a slot starting at `instant` lies in working hours of any of the given tutors' windows. */
export function isWorkingTime(windows: ReadonlyMap<string, Interval[]>, tutorIds: readonly string[], instant: number): boolean {
  return tutorIds.some((id) => (windows.get(id) ?? []).some((window) => window.start <= instant && instant < window.end))
}
