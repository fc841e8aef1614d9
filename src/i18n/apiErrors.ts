import { GRANULE_MINUTES } from '../scheduling/policy'
import { MAX_SESSION_MINUTES } from '../scheduling/appointment'
import { formatLocalWallTime } from '../scheduling/format'
import { HOUR_MS, MINUTE_MS, type Interval } from '../scheduling/intervals'
import type { HoursThatDay, RefusalFacts } from '../scheduling/messages'
import { dateTimeIn, durationIn, instantsListIn, orListIn, rangeIn } from './times'
import { translator, type Translate } from './translator'

/**
 * A booking refusal as the student who asked reads it: "you", their language (namespace ApiErrors), every time
 * in their own zone with the zone named. The facts come from the rules (src/scheduling/messages.ts), which
 * keep the wording staff read.
 */
export type StudentReader = { locale: string; timeZone: string }

export function studentRefusalText(facts: RefusalFacts, reader: StudentReader): string {
  const t = translator(reader.locale, 'ApiErrors')
  const words = new Words(t, reader)
  switch (facts.code) {
    case 'INVALID_DURATION':
      if (facts.problem === 'granule') return t('durationGranule', { granule: GRANULE_MINUTES, maxHours: MAX_SESSION_MINUTES / 60, minutes: facts.minutes })
      if (facts.offered.length === 0) return t('durationNoneOffered', { tutor: facts.tutorName })
      return t('durationNotOffered', { tutor: facts.tutorName, offered: words.orList(facts.offered.map(String)), minutes: facts.minutes })
    case 'MISALIGNED_START':
      if (!Number.isFinite(facts.start)) return t('startMissing')
      return t('misalignedStart', { granule: GRANULE_MINUTES, time: `${formatLocalWallTime(facts.start, reader.timeZone)} (${words.zone})` })
    case 'NOT_AN_OFFERED_START': {
      const intro = t('notOfferedStart', { tutor: facts.tutorName, interval: facts.slotIntervalMinutes, chosen: words.at(facts.start) })
      if (facts.nearest.length === 0) return `${intro} ${t('notOfferedNoneNear')}`
      return `${intro} ${t('notOfferedNearest', { count: facts.nearest.length, nearest: `${instantsListIn(reader.locale, facts.nearest, reader.timeZone)} (${words.zone})` })}`
    }
    case 'TOO_SOON':
      if (facts.problem === 'passed') return t('tooSoonPassed', { when: words.at(facts.start) })
      return t('tooSoonNotice', { tutor: facts.tutorName, notice: durationIn(reader.locale, facts.noticeMinutes * MINUTE_MS), when: words.at(facts.start), earliest: words.at(facts.earliestStart) })
    case 'TOO_FAR':
      return t('tooFar', { tutor: facts.tutorName, days: facts.horizonDays, when: words.at(facts.start), latest: words.at(facts.latestStart) })
    case 'OUTSIDE_AVAILABILITY':
      // A tutor's time off is private: the student learns only that this time is not free.
      if (facts.problem === 'time_off') return t('tutorAway', { tutor: facts.tutorName, during: words.during(facts.session) })
      return t('outsideHours', { tutor: facts.tutorName, during: words.during(facts.session), hours: words.hours(facts.hours) })
    case 'SLOT_UNAVAILABLE':
      if (!facts.other) return t('slotJustTaken', { tutor: facts.tutorName, during: words.during(facts.session) })
      return t('slotTaken', {
        tutor: facts.tutorName,
        other: words.during(facts.other),
        buffers: words.buffers(facts.bufferBeforeMinutes ?? 0, facts.bufferAfterMinutes ?? 0),
        during: words.during(facts.session),
      })
    case 'STUDENT_BUSY':
      if (!facts.other) return t('studentBusyRace', { during: words.during(facts.session) })
      return t('studentBusy', { other: words.during(facts.other), during: words.during(facts.session) })
    case 'CANCELLATION_CUTOFF_PASSED':
      if (facts.now >= facts.start) return t('cutoffStarted', { action: facts.action, when: words.at(facts.start) })
      return t('cutoffPassed', { action: facts.action, hours: facts.cutoffHours, within: durationIn(reader.locale, facts.start - facts.now), when: words.at(facts.start) })
    case 'TUTOR_INACTIVE':
      return t('tutorInactive', { tutor: facts.tutorName })
  }
}

/** The reassurance a student sees while they may still cancel. */
export function studentCanCancelUntilText(input: { start: number; cutoffHours: number }, reader: StudentReader): string {
  const t = translator(reader.locale, 'ApiErrors')
  return t('canCancelUntil', { when: new Words(t, reader).at(input.start - input.cutoffHours * HOUR_MS), hours: input.cutoffHours })
}

/** The pieces every refusal is built from, in the reader's language and zone. */
class Words {
  readonly zone: string
  constructor(
    private readonly t: Translate,
    private readonly reader: StudentReader,
  ) {
    this.zone = t('yourZone', { zone: reader.timeZone })
  }

  /** "Wed 9 Dec 2026 21:10 (your time, Australia/Sydney)" */
  at(instant: number): string {
    return `${dateTimeIn(this.reader.locale, instant, this.reader.timeZone)} (${this.zone})`
  }

  /** "Wed 9 Dec 2026 21:10–22:10 (your time, Australia/Sydney)" */
  during(interval: Interval): string {
    return `${rangeIn(this.reader.locale, interval.start, interval.end, this.reader.timeZone)} (${this.zone})`
  }

  orList(items: readonly string[]): string {
    return orListIn(this.reader.locale, items)
  }

  buffers(before: number, after: number): string {
    if (before === 0 && after === 0) return ''
    return before === after ? this.t('buffersSame', { minutes: before }) : this.t('buffersDifferent', { before, after })
  }

  /** The tutor's hours on the tutor's local day of the refused session, in the student's times. */
  hours(hours: HoursThatDay): string {
    if (hours.windows.length === 0) return this.t('hoursNone', { from: this.at(hours.day.start), to: this.at(hours.day.end) })
    return this.t('hoursThatDay', { ranges: hours.windows.map((window) => rangeIn(this.reader.locale, window.start, window.end, this.reader.timeZone)).join(', '), zone: this.zone })
  }
}
