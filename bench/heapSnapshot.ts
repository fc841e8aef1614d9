/**
 * A small .heapsnapshot reader for `npm run bench:heap`: self size summed per node type and constructor/name
 * (what DevTools' "Summary" groups by), and the growth between two snapshots. A snapshot is JSON:
 * snapshot.meta.node_fields / node_types describe the flat `nodes` array, names index `strings`.
 */
import fs from 'node:fs'

export type HeapGroup = { key: string; count: number; selfBytes: number }
export type HeapSummary = { totalBytes: number; nodeCount: number; groups: Map<string, HeapGroup> }

type RawSnapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

/** Groups by "type:name" for objects (name = constructor) and native/closure nodes; strings, code etc. by type alone. */
export function summarizeSnapshot(raw: RawSnapshot): HeapSummary {
  const fields = raw.snapshot.meta.node_fields
  const typeNames = raw.snapshot.meta.node_types[0]
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const groups = new Map<string, HeapGroup>()
  let totalBytes = 0
  const { nodes, strings } = raw
  for (let i = 0; i < nodes.length; i += width) {
    const type = typeNames[nodes[i + typeAt]]
    const size = nodes[i + sizeAt]
    totalBytes += size
    // Names of strings are their contents and of code its source: only the type says something in aggregate.
    const named = type === 'object' || type === 'native' || type === 'closure' || type === 'hidden'
    const key = named ? `${type}:${strings[nodes[i + nameAt]].slice(0, 80)}` : type
    const group = groups.get(key)
    if (group) {
      group.count++
      group.selfBytes += size
    } else {
      groups.set(key, { key, count: 1, selfBytes: size })
    }
  }
  return { totalBytes, nodeCount: nodes.length / width, groups }
}

/** Reads a snapshot file. Node's writer puts it on disk as one JSON document. */
export function readSnapshot(file: string): HeapSummary {
  return summarizeSnapshot(JSON.parse(fs.readFileSync(file, 'utf8')) as RawSnapshot)
}

export function topGroups(summary: HeapSummary, n: number): HeapGroup[] {
  return [...summary.groups.values()].sort((a, b) => b.selfBytes - a.selfBytes).slice(0, n)
}

/** Groups that grew most from `before` to `after` (bytes and count). */
export function topGrowth(before: HeapSummary, after: HeapSummary, n: number): (HeapGroup & { deltaBytes: number; deltaCount: number })[] {
  return [...after.groups.values()]
    .map((group) => {
      const old = before.groups.get(group.key)
      return { ...group, deltaBytes: group.selfBytes - (old?.selfBytes ?? 0), deltaCount: group.count - (old?.count ?? 0) }
    })
    .sort((a, b) => b.deltaBytes - a.deltaBytes)
    .slice(0, n)
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

export function formatTop(summary: HeapSummary, n: number): string {
  const lines = [`heap total ${mb(summary.totalBytes)} MB in ${summary.nodeCount.toLocaleString('en')} nodes`, '| type:constructor | count | self MB |', '|---|---:|---:|']
  for (const group of topGroups(summary, n)) lines.push(`| ${group.key} | ${group.count} | ${mb(group.selfBytes)} |`)
  return lines.join('\n')
}

export function formatGrowth(before: HeapSummary, after: HeapSummary, n: number): string {
  const lines = [`growth ${mb(after.totalBytes - before.totalBytes)} MB`, '| type:constructor | Δ count | Δ self MB | now MB |', '|---|---:|---:|---:|']
  for (const group of topGrowth(before, after, n)) lines.push(`| ${group.key} | ${group.deltaCount} | ${mb(group.deltaBytes)} | ${mb(group.selfBytes)} |`)
  return lines.join('\n')
}
