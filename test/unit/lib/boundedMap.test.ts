import { describe, expect, it } from '@jest/globals'

import { BoundedMap } from '../../../src/lib/boundedMap'

describe('BoundedMap', () => {
  it('forgets the least recently used entry beyond its count', () => {
    const map = new BoundedMap<string, number>(2)
    map.set('a', 1)
    map.set('b', 2)
    map.get('a')
    map.set('c', 3)
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([1, undefined, 3])
  })

  it('forgets least recently used entries beyond its total weight, and keeps nothing heavier than the bound', () => {
    const map = new BoundedMap<string, number[]>(100, { maxWeight: 10, weigh: (value) => value.length })
    map.set('a', [1, 2, 3, 4])
    map.set('b', [1, 2, 3, 4])
    map.set('c', [1, 2, 3])
    expect([map.get('a'), map.size, map.weight]).toEqual([undefined, 2, 7])
    map.set('b', [1])
    expect(map.weight).toBe(4)
    map.set('huge', new Array(11).fill(0))
    expect([map.get('huge'), map.size, map.weight]).toEqual([undefined, 2, 4])
  })
})
