/**
 * Half-open time intervals [start, end) in epoch milliseconds.
 *
 * Half-open so that back-to-back sessions (10:00–11:00 and 11:00–12:00) touch without overlapping,
 * and so that an interval's length is simply end - start.
 */
export type Interval = { start: number; end: number }

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS

export function isEmptyInterval(interval: Interval): boolean {
  return !(interval.end > interval.start)
}

/** True when the two intervals share at least one instant; empty intervals overlap nothing. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end
}

/** True when `inner` lies wholly inside `outer` (an empty inner interval counts only if it sits inside). */
export function containsInterval(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end
}

/**
 * Sorted, non-overlapping, non-touching intervals covering the same instants as the input.
 * Touching intervals are merged too: a 09:00–12:00 rule and a 12:00–17:00 rule make one window,
 * so a session 11:30–12:30 fits.
 */
export function normalizeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .filter((interval) => !isEmptyInterval(interval))
    .map((interval) => ({ start: interval.start, end: interval.end }))
    .sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: Interval[] = []
  for (const interval of sorted) {
    const last = merged[merged.length - 1]
    if (last && interval.start <= last.end) {
      last.end = Math.max(last.end, interval.end)
    } else {
      merged.push(interval)
    }
  }
  return merged
}

/** The instants of `intervals` that are in none of `holes`, normalized. Linear sweep after sorting. */
export function subtractIntervals(intervals: readonly Interval[], holes: readonly Interval[]): Interval[] {
  const remaining = normalizeIntervals(intervals)
  const sortedHoles = normalizeIntervals(holes)
  const result: Interval[] = []
  let holeIndex = 0
  for (const interval of remaining) {
    let cursor = interval.start
    // Holes ending before this interval cannot touch any later interval either (both lists are sorted).
    while (holeIndex < sortedHoles.length && sortedHoles[holeIndex].end <= cursor) holeIndex++
    let scan = holeIndex
    while (scan < sortedHoles.length && sortedHoles[scan].start < interval.end) {
      const hole = sortedHoles[scan]
      if (hole.start > cursor) result.push({ start: cursor, end: hole.start })
      cursor = Math.max(cursor, hole.end)
      if (cursor >= interval.end) break
      scan++
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end })
  }
  return result
}

/** The instants present in both lists, normalized. Linear sweep after sorting. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const left = normalizeIntervals(a)
  const right = normalizeIntervals(b)
  const result: Interval[] = []
  let i = 0
  let j = 0
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i].start, right[j].start)
    const end = Math.min(left[i].end, right[j].end)
    if (start < end) result.push({ start, end })
    if (left[i].end < right[j].end) i++
    else j++
  }
  return result
}

/** The parts of `intervals` inside `range`, normalized. */
export function clipToRange(intervals: readonly Interval[], range: Interval): Interval[] {
  return intersectIntervals(intervals, [range])
}

/** The interval extended by `beforeMs` on the left and `afterMs` on the right. */
export function widen(interval: Interval, beforeMs: number, afterMs: number): Interval {
  return { start: interval.start - beforeMs, end: interval.end + afterMs }
}

/** The first interval of `intervals` that overlaps `target`, if any. Linear; callers with many targets should sweep. */
export function findOverlap(intervals: readonly Interval[], target: Interval): Interval | undefined {
  return intervals.find((interval) => overlaps(interval, target))
}
