import type { Tutor } from '../payload-types'
import { resolveBookingPolicy, type Interval, type TutorSchedule, type WeeklyRule } from '../scheduling'

/** The scheduler's view of a tutor document. */
export function tutorScheduleFromDoc(tutor: Tutor): TutorSchedule {
  return {
    name: tutor.name,
    timeZone: tutor.timeZone,
    weeklyRules: (tutor.weeklyAvailability ?? []).map((rule) => ({ day: rule.day, start: rule.start, end: rule.end }) as WeeklyRule),
    timeOff: (tutor.timeOff ?? [])
      .map((off) => ({ start: new Date(off.start).getTime(), end: new Date(off.end).getTime() }))
      .filter((off) => Number.isFinite(off.start) && Number.isFinite(off.end) && off.end > off.start),
    policy: resolveBookingPolicy(tutor.policy ?? {}),
    sessionLengths: (tutor.sessionLengths ?? []).filter((length): length is number => typeof length === 'number'),
  }
}

export function intervalOf(doc: { start: string; end: string }): Interval {
  return { start: new Date(doc.start).getTime(), end: new Date(doc.end).getTime() }
}
