import type { NextFunction, Request, Response } from 'express'

import { sendError } from '../http/errors'
import { logger } from '../lib/logger'
import { AdmissionGate, type AdmissionLimits, type Refusal, type RequestKind } from './admissionGate'

/**
 * Overload is shed, not queued (src/security/admissionGate.ts): past `LOAD_SHED_MAX_IN_FLIGHT` requests at once and
 * `LOAD_SHED_QUEUE_SIZE` waiting (each for at most `LOAD_SHED_MAX_WAIT_MS`), a request is answered 503 with
 * `Retry-After` at once. Never shed: the probes (a busy replica is alive and ready; shedding /readyz would make
 * Kubernetes pull every busy pod at once) and Next's static files (cheap, and a page whose script failed is broken).
 */
export type LoadSheddingSettings = AdmissionLimits & { retryAfterSeconds: number; logIntervalMs: number; pageWeight: number }

function readInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`)
  return value
}

/** Read once at start (src/server.ts): a malformed value stops the server there, not on the first busy minute. */
export function loadSheddingSettings(): LoadSheddingSettings {
  return {
    maxInFlight: readInt('LOAD_SHED_MAX_IN_FLIGHT', 32),
    queueSize: readInt('LOAD_SHED_QUEUE_SIZE', 16),
    maxWaitMs: readInt('LOAD_SHED_MAX_WAIT_MS', 250),
    reservedForPriority: readInt('LOAD_SHED_RESERVED_FOR_PRIORITY', 8),
    pageWeight: Math.max(1, readInt('LOAD_SHED_PAGE_WEIGHT', 4)),
    retryAfterSeconds: Math.max(1, readInt('LOAD_SHED_RETRY_AFTER_SECONDS', 2)),
    logIntervalMs: readInt('LOAD_SHED_LOG_INTERVAL_MS', 10_000),
  }
}

const PROBES = new Set(['/healthz', '/readyz'])
/** Next's build output and the app's icon files (`/icon-<hash>.svg`, src/app/(site)/icon.svg). */
const STATIC_FILE = /^\/(?:_next\/static\/|favicon\.ico$|(?:apple-)?icon[\w-]*\.(?:svg|png|ico)$)/

export function isNeverShed(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false
  return PROBES.has(path) || STATIC_FILE.test(path)
}

/**
 * Writes (a booking, a cancel, a sign-in), the admin panel and signed-in people may use every slot; anonymous reads
 * leave the reserved ones free. A client can claim priority by sending any Authorization header, but it still
 * counts against the same bound: the gate protects capacity, the rate limits and access rules protect the rest.
 */
export function requestKind(method: string, path: string, headers: { authorization?: string; cookie?: string }): RequestKind {
  if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') return 'priority'
  if (path === '/admin' || path.startsWith('/admin/')) return 'priority'
  if (headers.authorization !== undefined || /(?:^|;\s*)payload-token=/.test(headers.cookie ?? '')) return 'priority'
  return 'bulk'
}

/**
 * Slots a request takes: a page (the site or the admin panel, rendered by Next: ~25 ms of CPU here) takes
 * `pageWeight`, an API call or anything else one (a slot search is ~0.1 ms, a booking's request a few ms).
 */
export function requestWeight(method: string, path: string, pageWeight: number): number {
  if (method !== 'GET' && method !== 'HEAD') return 1
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/_next/')) return 1
  // A file by extension (.ics, .svg…) is not a page render.
  if (/\.[a-z0-9]+$/i.test(path)) return 1
  return pageWeight
}

/** One warning per interval at most, with what was shed since the last one (the log must not flood with the load). */
class ShedLog {
  private counts = new Map<string, number>()
  private lastLoggedAt = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly intervalMs: number,
    private readonly state: () => { inFlight: number; queued: number },
    private readonly limits: LoadSheddingSettings,
  ) {}

  note(kind: RequestKind, reason: Refusal): void {
    const key = `${kind}:${reason}`
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    const wait = this.lastLoggedAt + this.intervalMs - Date.now()
    if (wait <= 0) this.flush()
    // Whatever is shed after a line is reported by the next one, even if shedding stops before the next request.
    else this.timer ??= setTimeout(() => this.flush(), wait).unref()
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.counts.size === 0) return
    const shed = Object.fromEntries(this.counts)
    const total = [...this.counts.values()].reduce((sum, count) => sum + count, 0)
    this.counts = new Map()
    this.lastLoggedAt = Date.now()
    const { maxInFlight, queueSize, maxWaitMs } = this.limits
    logger.warn({ event: 'load.shed', shed, total, ...this.state(), maxInFlight, queueSize, maxWaitMs }, `overloaded: answered ${total} request(s) 503 with Retry-After`)
  }
}

// A page request gets a page that tries again by itself after Retry-After; it carries no sentence, since the
// site's sentences live in the message catalog and the server is too busy to pick a language here.
const retryPage = (seconds: number) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="${seconds}"><title>503</title></head><body><h1>503</h1></body></html>`

function answerShed(req: Request, res: Response, retryAfterSeconds: number): void {
  res.setHeader('Retry-After', String(retryAfterSeconds))
  res.setHeader('Cache-Control', 'no-store')
  if (req.path === '/api' || req.path.startsWith('/api/')) {
    sendError(res, 503, 'SERVER_BUSY', `The server is busy. Try again after ${retryAfterSeconds} seconds (a booking with the same Idempotency-Key).`, { retryAfterSeconds })
    return
  }
  res.status(503).type('html').send(retryPage(retryAfterSeconds))
}

export function loadSheddingMiddleware(settings: LoadSheddingSettings = loadSheddingSettings()) {
  const gate = new AdmissionGate(settings)
  const log = new ShedLog(settings.logIntervalMs, () => ({ inFlight: gate.inFlight, queued: gate.queued }), settings)
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (settings.maxInFlight === 0 || isNeverShed(req.method, req.path)) return next()
    const kind = requestKind(req.method, req.path, req.headers)
    const cancel = gate.enter(kind, {
      admitted: (release) => {
        res.once('close', release)
        // The client may have left while it waited: give the slot straight back.
        if (res.destroyed) release()
        else next()
      },
      refused: (reason) => {
        log.note(kind, reason)
        if (!res.headersSent && !res.destroyed) answerShed(req, res, settings.retryAfterSeconds)
      },
    }, requestWeight(req.method, req.path, settings.pageWeight))
    res.once('close', cancel)
  }
  return Object.assign(middleware, { gate })
}
