import { describe, expect, it } from '@jest/globals'

import { searchClock } from '../../../src/booking/availability'
import { BoundedMap } from '../../../src/lib/boundedMap'

describe('BoundedMap (per-replica caches)', () => {
  it('forgets the least recently used entry beyond its bound', () => {
    const map = new BoundedMap<string, number>(2)
    map.set('a', 1)
    map.set('b', 2)
    expect(map.get('a')).toBe(1) // a is now the most recent
    map.set('c', 3)
    expect(map.get('b')).toBeUndefined()
    expect(map.get('a')).toBe(1)
    expect(map.get('c')).toBe(3)
    expect(map.size).toBe(2)
  })

  it('replacing a value keeps one entry', () => {
    const map = new BoundedMap<string, number>(2)
    map.set('a', 1)
    map.set('a', 2)
    expect(map.size).toBe(1)
    expect(map.get('a')).toBe(2)
  })
})

describe('searchClock', () => {
  it('is the next whole minute, so answers within one minute are the same', () => {
    const minute = Date.UTC(2026, 10, 25, 12, 0)
    expect(searchClock(minute)).toBe(minute)
    expect(searchClock(minute + 1)).toBe(minute + 60_000)
    expect(searchClock(minute + 59_999)).toBe(minute + 60_000)
  })
})
