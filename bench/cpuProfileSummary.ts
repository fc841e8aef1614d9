/**
 * A V8 .cpuprofile (node --cpu-prof) summarised: self time by package and by function, and inclusive time of the
 * functions on the request path (each sample counted once per function on its stack).
 *
 *   FROM_S=17 TO_S=28 npx tsx bench/cpuProfileSummary.ts /tmp/getprof/CPU.*.cpuprofile
 */
import fs from 'node:fs'

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const TOP = Number(process.env.TOP || 30)

function packageOf(url: string): string {
  if (!url) return '(native/vm)'
  if (url.startsWith('node:')) return 'node:*'
  const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)
  if (match) return match[match.length - 1].replace('node_modules/', '')
  const ours = url.match(/\/work\/wt\/[^/]+\/([^/]+)/)
  return ours ? `ours:${ours[1]}` : url.slice(-50)
}

const profile = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
const label = (node: Node) => `${node.callFrame.functionName || '(anon)'} ${packageOf(node.callFrame.url)}:${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`

const self = new Map<string, number>()
// Node's and V8's own frames (socket writes, JSON, microtasks) counted to the nearest package above them.
const selfNearest = new Map<string, number>()
const nearestPackage = (id: number): string => {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = byId.get(at)!.callFrame.url
    if (url && !url.startsWith('node:')) return packageOf(url) + (url.includes('/.next/') ? `:${url.split('/').pop()!.slice(0, 40)}` : '')
  }
  const leaf = byId.get(id)!.callFrame
  return `${leaf.url ? 'node:*' : '(native/vm)'} ${leaf.functionName}`
}
const selfPackage = new Map<string, number>()
const inclusive = new Map<string, number>()
let total = 0
let idle = 0
// FROM_S/TO_S: only the samples of that window (seconds from the profile's start), e.g. the load, not start-up.
const fromMs = Number(process.env.FROM_S || 0) * 1000
const toMs = Number(process.env.TO_S || Infinity) * 1000
let clockMs = 0
profile.samples.forEach((id, i) => {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000
  clockMs += ms
  if (clockMs < fromMs || clockMs > toMs) return
  const node = byId.get(id)!
  if (node.callFrame.functionName === '(idle)') {
    idle += ms
    return
  }
  total += ms
  self.set(label(node), (self.get(label(node)) ?? 0) + ms)
  selfPackage.set(packageOf(node.callFrame.url) + (node.callFrame.url ? '' : ` ${node.callFrame.functionName}`), (selfPackage.get(packageOf(node.callFrame.url) + (node.callFrame.url ? '' : ` ${node.callFrame.functionName}`)) ?? 0) + ms)
  selfNearest.set(nearestPackage(id), (selfNearest.get(nearestPackage(id)) ?? 0) + ms)
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = label(byId.get(at)!)
    if (seen.has(key)) continue
    seen.add(key)
    inclusive.set(key, (inclusive.get(key) ?? 0) + ms)
  }
})

const print = (title: string, map: Map<string, number>, top = TOP) => {
  console.log(`\n${title}`)
  for (const [key, ms] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${(ms / 1000).toFixed(2).padStart(6)} s  ${key}`)
}
console.log(`busy ${(total / 1000).toFixed(1)} s, idle ${(idle / 1000).toFixed(1)} s`)
print('self time by package', selfPackage)
print('self time by nearest package (Node/V8 frames counted to their caller)', selfNearest)
print('self time by function', self)
const pattern = process.env.INCLUSIVE ? new RegExp(process.env.INCLUSIVE) : undefined
print('inclusive time by function', pattern ? new Map([...inclusive].filter(([key]) => pattern.test(key))) : inclusive, Number(process.env.TOP_INCLUSIVE || 80))
