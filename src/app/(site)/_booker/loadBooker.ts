import { type LocalDay, type LocalMonth, DAY_MS, localDayOf, monthOfDay, monthRange, parseLocalDay, parseLocalMonth, shiftMonth } from '../../../scheduling'
import { type BookableTutor, openStarts, startsByDay } from './bookerData'
import { isAppointmentId } from './bookerUrls'

export type SearchParams = Record<string, string | string[] | undefined>
export const firstOf = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''))

/** What the booker shows, read from its address: each value checked, anything odd falls back to a default. */
export type BookerView = {
  duration: number
  month: LocalMonth
  day: LocalDay | null
  today: LocalDay
  freeDays: LocalDay[]
  dayStarts: number[]
  previousMonth: LocalMonth | null
  nextMonth: LocalMonth | null
  reschedule: string | null
}

/** A length the tutor offers: the one asked for, else their first. */
export function offeredDuration(tutor: BookableTutor, asked: string): number {
  const minutes = Number(asked)
  return tutor.sessionLengths.includes(minutes) ? minutes : (tutor.sessionLengths[0] ?? 60)
}

export async function loadBookerView(tutor: BookableTutor, params: SearchParams, zone: string, now = Date.now()): Promise<BookerView> {
  const duration = offeredDuration(tutor, firstOf(params.duration))
  const today = localDayOf(now, zone)
  const firstMonth = monthOfDay(today)
  const lastMonth = monthOfDay(localDayOf(now + tutor.policy.bookingHorizonDays * DAY_MS, zone))
  const askedDay = parseLocalDay(firstOf(params.day))
  const askedMonth = parseLocalMonth(firstOf(params.month))
  const clamp = (month: LocalMonth): LocalMonth => (month < firstMonth ? firstMonth : month > lastMonth ? lastMonth : month)
  let month = clamp(askedMonth ?? (askedDay ? monthOfDay(askedDay) : firstMonth))
  const startsIn = (m: LocalMonth) => {
    const range = monthRange(m, zone)
    return openStarts(tutor.id, duration, range.start, range.end)
  }
  let starts = await startsIn(month)
  // A first visit late in the month: show the next month when this one has nothing left.
  if (!askedMonth && !askedDay && starts.length === 0 && month < lastMonth) {
    month = shiftMonth(month, 1)
    starts = await startsIn(month)
  }
  const byDay = startsByDay(starts, zone)
  const day = askedDay && monthOfDay(askedDay) === month ? askedDay : ([...byDay.keys()][0] ?? null)
  const reschedule = firstOf(params.reschedule)
  return {
    duration,
    month,
    day,
    today,
    freeDays: [...byDay.keys()],
    dayStarts: day ? (byDay.get(day) ?? []) : [],
    previousMonth: month > firstMonth ? shiftMonth(month, -1) : null,
    nextMonth: month < lastMonth ? shiftMonth(month, 1) : null,
    reschedule: isAppointmentId(reschedule) ? reschedule : null,
  }
}
