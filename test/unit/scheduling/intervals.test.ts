import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'

import {
  type Interval,
  clipToRange,
  intersectIntervals,
  normalizeIntervals,
  overlaps,
  subtractIntervals,
  widen,
} from '../../../src/scheduling/intervals'

const interval = (start: number, end: number): Interval => ({ start, end })

/** Small integer intervals, so the brute-force oracle below can enumerate every instant. */
const smallInterval = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 12 }))
  .map(([start, length]) => interval(start, start + length))
const smallIntervals = fc.array(smallInterval, { maxLength: 8 })

function covered(intervals: readonly Interval[]): Set<number> {
  const points = new Set<number>()
  for (const { start, end } of intervals) for (let point = start; point < end; point++) points.add(point)
  return points
}

function expectNormalized(intervals: readonly Interval[]): void {
  for (const item of intervals) expect(item.start).toBeLessThan(item.end)
  // Strictly increasing with gaps: neither overlapping nor touching.
  for (let index = 1; index < intervals.length; index++) expect(intervals[index - 1].end).toBeLessThan(intervals[index].start)
}

describe('overlaps', () => {
  it('treats intervals as half-open, so back-to-back sessions do not overlap', () => {
    expect(overlaps(interval(0, 10), interval(10, 20))).toBe(false)
    expect(overlaps(interval(0, 11), interval(10, 20))).toBe(true)
    expect(overlaps(interval(5, 6), interval(0, 20))).toBe(true)
  })

  it('never reports an empty interval as overlapping', () => {
    expect(overlaps(interval(5, 5), interval(0, 20))).toBe(false)
  })
})

describe('normalizeIntervals', () => {
  it('sorts, merges overlapping and touching intervals, and drops empty ones', () => {
    expect(normalizeIntervals([interval(20, 30), interval(0, 10), interval(10, 15), interval(25, 40), interval(50, 50)])).toEqual([
      interval(0, 15),
      interval(20, 40),
    ])
  })

  it('does not modify its input', () => {
    const input = [interval(10, 20), interval(0, 15)]
    normalizeIntervals(input)
    expect(input).toEqual([interval(10, 20), interval(0, 15)])
  })
})

describe('widen and clipToRange', () => {
  it('widens by different amounts on each side', () => {
    expect(widen(interval(100, 200), 15, 5)).toEqual(interval(85, 205))
  })

  it('clips to the range', () => {
    expect(clipToRange([interval(0, 10), interval(20, 30), interval(40, 50)], interval(5, 25))).toEqual([interval(5, 10), interval(20, 25)])
  })
})

describe('set operations agree with a brute-force model', () => {
  it('normalizeIntervals keeps exactly the covered instants', () => {
    fc.assert(
      fc.property(smallIntervals, (intervals) => {
        const result = normalizeIntervals(intervals)
        expectNormalized(result)
        expect(covered(result)).toEqual(covered(intervals))
      }),
    )
  })

  it('subtractIntervals removes exactly the holes', () => {
    fc.assert(
      fc.property(smallIntervals, smallIntervals, (intervals, holes) => {
        const result = subtractIntervals(intervals, holes)
        expectNormalized(result)
        const holePoints = covered(holes)
        expect(covered(result)).toEqual(new Set([...covered(intervals)].filter((point) => !holePoints.has(point))))
      }),
    )
  })

  it('intersectIntervals keeps exactly the shared instants', () => {
    fc.assert(
      fc.property(smallIntervals, smallIntervals, (left, right) => {
        const result = intersectIntervals(left, right)
        expectNormalized(result)
        const rightPoints = covered(right)
        expect(covered(result)).toEqual(new Set([...covered(left)].filter((point) => rightPoints.has(point))))
      }),
    )
  })

  it('overlaps agrees with sharing an instant', () => {
    fc.assert(
      fc.property(smallInterval, smallInterval, (a, b) => {
        const bPoints = covered([b])
        expect(overlaps(a, b)).toBe([...covered([a])].some((point) => bPoints.has(point)))
      }),
    )
  })
})
