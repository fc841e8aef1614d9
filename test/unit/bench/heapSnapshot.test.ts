import { describe, expect, it } from '@jest/globals'

import { summarizeSnapshot, topGroups, topGrowth } from '../../../bench/heapSnapshot'

/** A snapshot in V8's format: nodes are flat [type, name, id, self_size, edge_count] tuples. */
function snapshot(nodes: [type: number, name: number, size: number][], strings: string[]) {
  return {
    snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'], node_types: [['hidden', 'array', 'string', 'object', 'code']] as [string[]] } },
    nodes: nodes.flatMap(([type, name, size], i) => [type, name, i + 1, size, 0]),
    strings,
  }
}

describe('heap snapshot summary', () => {
  const strings = ['Calendar', 'some source text', 'Map']
  const before = summarizeSnapshot(snapshot([[3, 0, 100], [3, 0, 50], [2, 1, 400], [3, 2, 10]], strings))
  const after = summarizeSnapshot(snapshot([[3, 0, 100], [3, 0, 50], [3, 0, 300], [2, 1, 400], [3, 2, 10]], strings))

  it('sums self size by constructor for objects and by type for strings', () => {
    expect(before.totalBytes).toBe(560)
    expect(topGroups(before, 2)).toEqual([
      { key: 'string', count: 1, selfBytes: 400 },
      { key: 'object:Calendar', count: 2, selfBytes: 150 },
    ])
  })

  it('ranks growth between two snapshots', () => {
    expect(topGrowth(before, after, 1)).toEqual([{ key: 'object:Calendar', count: 3, selfBytes: 450, deltaBytes: 300, deltaCount: 1 }])
  })
})
