// The soak's figures over time (bench/soak.ts): one row per interval, the verdict (first vs last minute after
// warm-up) and a small hand-built SVG chart of req/s, latency and RSS per replica.
import { percentile } from './benchServices'

export type RssSample = { t: number; replica: string; mb: number }

export type IntervalRow = {
  /** Seconds since the load started, at the interval's end. */
  t: number
  completed: number
  /** Seconds the interval spanned (the last one may be short). */
  spanS: number
  rps: number
  p50: number
  p99: number
  errors: number
  conflicts: number
  /** Open-loop starts not sent because too many requests were in flight (counted as errors). */
  skipped: number
  /** Last RSS sample of each replica in the interval, MB. */
  rssMb: Record<string, number>
  load1: number
  /** p50/p99 of each request kind in the interval: which kind a drift in the overall p99 comes from. */
  byKind: Record<string, { n: number; p50: number; p99: number }>
}

export type Window = { from: number; to: number }

export type Verdict = {
  warmupS: number
  first: Window
  last: Window
  p99: { first: number; last: number }
  rss: Record<string, { first: number; last: number; slopeMbPerMin: number; grows: boolean }>
}

const mean = (values: number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0)

/** Least-squares slope of (t seconds, mb) in MB per minute. */
function slopePerMinute(samples: { t: number; mb: number }[]): number {
  if (samples.length < 2) return 0
  const tm = mean(samples.map((s) => s.t))
  const mm = mean(samples.map((s) => s.mb))
  let num = 0
  let den = 0
  for (const s of samples) {
    num += (s.t - tm) * (s.mb - mm)
    den += (s.t - tm) ** 2
  }
  return den ? (num / den) * 60 : 0
}

/**
 * RSS "grows" when it rose by more than 10 % from the first to the last window and the fitted slope would add
 * more than another 10 % of it per hour: a heap settling in is not a leak, a steady climb is.
 */
export function verdictOf(durationS: number, latencies: { doneAt: number; ms: number }[], rss: RssSample[]): Verdict {
  const warmupS = Math.min(60, durationS * 0.2)
  const windowS = Math.min(60, (durationS - warmupS) / 3)
  const first = { from: warmupS, to: warmupS + windowS }
  const last = { from: durationS - windowS, to: durationS }
  const p99In = (window: Window) =>
    percentile(
      latencies.filter((l) => l.doneAt >= window.from && l.doneAt < window.to).map((l) => l.ms).sort((a, b) => a - b),
      99,
    )
  const replicas = [...new Set(rss.map((sample) => sample.replica))]
  const rssVerdict: Verdict['rss'] = {}
  for (const replica of replicas) {
    const own = rss.filter((sample) => sample.replica === replica && sample.t >= warmupS)
    const inWindow = (window: Window) => mean(own.filter((s) => s.t >= window.from && s.t <= window.to).map((s) => s.mb))
    const firstMb = inWindow(first)
    const lastMb = inWindow(last)
    const slope = slopePerMinute(own)
    rssVerdict[replica] = { first: firstMb, last: lastMb, slopeMbPerMin: slope, grows: lastMb > firstMb * 1.1 && slope * 60 > firstMb * 0.1 }
  }
  return { warmupS, first, last, p99: { first: p99In(first), last: p99In(last) }, rss: rssVerdict }
}

// --- chart ---------------------------------------------------------------------------------------------------

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e']
const WIDTH = 900
const PANEL_HEIGHT = 200
const LEFT = 70
const RIGHT = 150
const TOP = 80

type Series = { label: string; points: [number, number][]; colour: string; dashed?: boolean }

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const niceMax = (value: number) => {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  return [1, 2, 2.5, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!
}

function panel(top: number, title: string, unit: string, series: Series[], durationS: number): string {
  const plotWidth = WIDTH - LEFT - RIGHT
  const plotHeight = PANEL_HEIGHT - 50
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map(([, y]) => y))) * 1.05)
  const x = (t: number) => LEFT + (t / Math.max(durationS, 1)) * plotWidth
  const y = (value: number) => top + plotHeight - (value / yMax) * plotHeight
  const parts = [`<text x="${LEFT}" y="${top - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`]
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const value = yMax * fraction
    parts.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`)
    parts.push(`<text x="${LEFT - 6}" y="${y(value) + 4}" font-size="11" text-anchor="end">${+value.toFixed(1)}</text>`)
  }
  parts.push(`<text x="14" y="${top + plotHeight / 2}" font-size="11" transform="rotate(-90 14 ${top + plotHeight / 2})" text-anchor="middle">${esc(unit)}</text>`)
  const minutes = durationS / 60
  const step = minutes > 20 ? 5 : minutes > 4 ? 1 : 0.5
  for (let m = 0; m <= minutes + 1e-9; m += step) {
    parts.push(`<line x1="${x(m * 60)}" x2="${x(m * 60)}" y1="${top + plotHeight}" y2="${top + plotHeight + 4}" stroke="#333"/>`)
    parts.push(`<text x="${x(m * 60)}" y="${top + plotHeight + 16}" font-size="11" text-anchor="middle">${+m.toFixed(1)}</text>`)
  }
  parts.push(`<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`)
  series.forEach((s, i) => {
    const d = s.points.map(([t, value]) => `${x(t).toFixed(1)},${y(value).toFixed(1)}`).join(' ')
    parts.push(`<polyline points="${d}" fill="none" stroke="${s.colour}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`)
    parts.push(`<line x1="${LEFT + plotWidth + 12}" x2="${LEFT + plotWidth + 32}" y1="${top + 10 + i * 18}" y2="${top + 10 + i * 18}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`)
    parts.push(`<text x="${LEFT + plotWidth + 38}" y="${top + 14 + i * 18}" font-size="11">${esc(s.label)}</text>`)
  })
  return parts.join('\n')
}

/** Three panels over minutes since the load started: req/s (with the offered rate and errors), p50/p99, RSS per replica. */
export function soakSvg(options: { title: string; subtitle: string[]; durationS: number; offeredRps: number; rows: IntervalRow[]; rss: RssSample[] }): string {
  const { rows } = options
  // The last interval ends when the last answer came in, a little after the load stopped.
  const durationS = Math.max(options.durationS, ...rows.map((row) => row.t))
  const replicas = [...new Set(options.rss.map((sample) => sample.replica))]
  const panels = [
    panel(
      TOP + 10,
      'Requests per second (completed), errors and expected 409s per second',
      'req/s',
      [
        { label: 'completed req/s', points: rows.map((r) => [r.t, r.rps]), colour: COLOURS[0] },
        { label: 'offered req/s', points: [[0, options.offeredRps], [durationS, options.offeredRps]], colour: '#888', dashed: true },
        { label: 'errors/s', points: rows.map((r) => [r.t, (r.errors + r.skipped) / r.spanS]), colour: COLOURS[1] },
        { label: 'expected 409/s', points: rows.map((r) => [r.t, r.conflicts / r.spanS]), colour: COLOURS[4] },
      ],
      durationS,
    ),
    panel(
      TOP + 10 + PANEL_HEIGHT + 20,
      'Latency per interval (all requests)',
      'ms',
      [
        { label: 'p99', points: rows.map((r) => [r.t, r.p99]), colour: COLOURS[1] },
        { label: 'p50', points: rows.map((r) => [r.t, r.p50]), colour: COLOURS[0] },
      ],
      durationS,
    ),
    panel(
      TOP + 10 + 2 * (PANEL_HEIGHT + 20),
      'RSS per replica (VmRSS)',
      'MB',
      replicas.map((replica, i) => ({
        label: replica,
        points: options.rss.filter((sample) => sample.replica === replica).map((sample) => [sample.t, sample.mb] as [number, number]),
        colour: COLOURS[i % COLOURS.length],
      })),
      durationS,
    ),
  ]
  const height = TOP + 10 + 3 * (PANEL_HEIGHT + 20) + 10
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
    ...options.subtitle.map((line, i) => `<text x="${LEFT}" y="${42 + i * 15}" font-size="11">${esc(line)}</text>`),
    ...panels,
    `<text x="${WIDTH - RIGHT}" y="${height - 6}" font-size="11" text-anchor="end">minutes since the load started</text>`,
    '</svg>',
    '',
  ].join('\n')
}
