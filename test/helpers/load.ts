/**
 * A small bounded load generator (fetch, keep-alive), until `durationMs` has passed or stop() is called:
 *  - closed loop (default): `concurrency` workers send requests back to back;
 *  - open loop (`ratePerSecond`): requests start at a fixed rate whatever the answers, at most `concurrency` in
 *    flight (a start that would exceed the cap is counted in `skipped`, not sent). This is how real traffic
 *    behaves when one replica is slow: new requests keep arriving for the others.
 * Every request's outcome is recorded; nothing is retried here, so whatever the client sees is what the load
 * balancer delivered.
 */
export type LoadRequest = {
  /** Free label for grouping results, e.g. 'GET' or 'book'. */
  kind: string
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  token?: string
  /** Statuses that count as success (default: any 2xx). */
  ok?: (status: number) => boolean
}

export type LoadResult = {
  kind: string
  method: string
  path: string
  status: number
  /** Network-level failure (connection reset, timeout); status is 0 then. */
  error?: string
  ok: boolean
  request: LoadRequest
  startedAt: number
  ms: number
  body?: unknown
}

export type LoadOptions = {
  baseUrl: string
  concurrency: number
  /** Upper bound on the run; stop() ends it earlier. */
  durationMs: number
  /** Open loop: start this many requests per second (at most `concurrency` in flight). */
  ratePerSecond?: number
  /** The i-th request (i counts across all workers). */
  next: (i: number) => LoadRequest
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number
  /** Keep parsed JSON bodies of these kinds on the results (default none). */
  keepBodies?: (request: LoadRequest, status: number) => boolean
  /** Called with each result as it completes (e.g. to act on a booking's answer while the run goes on). */
  onResult?: (result: LoadResult) => void
}

export type LoadRun = {
  /** Results so far (grows while running). */
  results: LoadResult[]
  /** Open loop only: starts skipped because `concurrency` requests were in flight. */
  readonly skipped: number
  /** Ends the run: no new requests start; resolves once the ones in flight have finished. */
  stop: () => Promise<LoadResult[]>
  done: Promise<LoadResult[]>
}

const defaultOk = (status: number) => status >= 200 && status < 300

export function startLoad(options: LoadOptions): LoadRun {
  const results: LoadResult[] = []
  const startedAt = Date.now()
  let stopped = false
  let counter = 0
  let skipped = 0
  const running = () => !stopped && Date.now() - startedAt < options.durationMs

  const send = async (request: LoadRequest) => {
    const began = Date.now()
    const headers: Record<string, string> = {}
    if (request.token) headers.Authorization = `JWT ${request.token}`
    if (request.body !== undefined) headers['Content-Type'] = 'application/json'
    const result: LoadResult = { kind: request.kind, method: request.method, path: request.path, status: 0, ok: false, request, startedAt: began, ms: 0 }
    try {
      const response = await fetch(`${options.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      })
      const text = await response.text()
      result.status = response.status
      result.ok = (request.ok ?? defaultOk)(response.status)
      if (options.keepBodies?.(request, response.status) || !result.ok) {
        try {
          result.body = JSON.parse(text)
        } catch {
          result.body = text.slice(0, 500)
        }
      }
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      result.error = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
    }
    result.ms = Date.now() - began
    results.push(result)
    options.onResult?.(result)
  }

  const worker = async () => {
    while (running()) await send(options.next(counter++))
  }

  const openLoop = async (rate: number) => {
    const inFlight = new Set<Promise<void>>()
    const intervalMs = 1_000 / rate
    let started = 0
    while (running()) {
      const due = Math.floor((Date.now() - startedAt) / intervalMs) + 1
      for (; started < due; started++) {
        if (inFlight.size >= options.concurrency) {
          skipped++
          continue
        }
        const pending: Promise<void> = send(options.next(counter++)).finally(() => inFlight.delete(pending))
        inFlight.add(pending)
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, 10)))
    }
    await Promise.all(inFlight)
  }

  const done = (options.ratePerSecond ? openLoop(options.ratePerSecond) : Promise.all(Array.from({ length: options.concurrency }, worker))).then(() => results)
  return {
    results,
    get skipped() {
      return skipped
    },
    done,
    stop: () => {
      stopped = true
      return done
    },
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult[]> {
  return startLoad(options).done
}

export type LoadSummary = {
  total: number
  failed: number
  byKind: Record<string, { total: number; ok: number; failed: number; statuses: Record<string, number>; p50: number; p99: number; max: number }>
  failures: LoadResult[]
}

export function summarize(results: LoadResult[]): LoadSummary {
  const byKind: LoadSummary['byKind'] = {}
  const latencies: Record<string, number[]> = {}
  for (const result of results) {
    const entry = (byKind[result.kind] ??= { total: 0, ok: 0, failed: 0, statuses: {}, p50: 0, p99: 0, max: 0 })
    entry.total++
    if (result.ok) entry.ok++
    else entry.failed++
    const key = result.error ? `ERR:${result.error}` : String(result.status)
    entry.statuses[key] = (entry.statuses[key] ?? 0) + 1
    ;(latencies[result.kind] ??= []).push(result.ms)
  }
  for (const [kind, values] of Object.entries(latencies)) {
    values.sort((a, b) => a - b)
    const pick = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))]
    byKind[kind].p50 = pick(0.5)
    byKind[kind].p99 = pick(0.99)
    byKind[kind].max = values[values.length - 1]
  }
  const failures = results.filter((result) => !result.ok)
  return { total: results.length, failed: failures.length, byKind, failures }
}

/** One line per kind, for console.log in the proofs. */
export function formatSummary(summary: LoadSummary): string {
  return Object.entries(summary.byKind)
    .map(
      ([kind, s]) => `${kind}: ${s.total} sent, ${s.ok} ok, ${s.failed} failed ${JSON.stringify(s.statuses)} p50 ${s.p50} ms p99 ${s.p99} ms max ${s.max} ms`,
    )
    .join('\n')
}
