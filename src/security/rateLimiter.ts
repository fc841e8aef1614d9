import { createHash } from 'node:crypto'

import type { Collection, Db } from 'mongodb'

import { isDuplicateKeyError } from '../storage/duplicateKey'
import { ensureExpiryIndex, sweepExpired } from '../storage/expiry'
import { rateLimitingDisabled, rateLimitRule, type RateLimitRule } from './config'

/**
 * Fixed-window rate limits shared by every replica, exact under concurrency on MongoDB and FerretDB alike:
 * L numbered slot documents per window, taken by insert (how and why: docs/storage.md, "Rate limits").
 */
export const RATE_LIMIT_COLLECTION = 'rate_limit_hits'

export type RateLimitHit = { _id: string; key: string; at: Date; expiresAt: Date }

export type RateLimitOutcome =
  | { allowed: true; rule: RateLimitRule; slotId?: string }
  | { allowed: false; rule: RateLimitRule; retryAfterSeconds: number }

/** Subjects (emails, IPs, tokens) are hashed: bounded ids, and no addresses or tokens stored in the clear. */
export const subjectHash = (subject: string): string => createHash('sha256').update(subject).digest('base64url').slice(0, 22)

export class RateLimiter {
  private readonly hits: Collection<RateLimitHit>
  /** Per process: bucket prefix → lowest slot number not known to be taken. Old windows are dropped. */
  private readonly hints = new Map<string, number>()
  private indexes: Promise<void> | undefined

  constructor(db: Db, private readonly now: () => number = Date.now) {
    this.hits = db.collection<RateLimitHit>(RATE_LIMIT_COLLECTION)
  }

  ensureIndexes(): Promise<void> {
    this.indexes ??= ensureExpiryIndex(this.hits, 'expiresAt')
    return this.indexes
  }

  /** Takes one attempt of `rule` for `subject`, or says how long to wait. */
  async hit(rule: RateLimitRule, subject: string): Promise<RateLimitOutcome> {
    if (rule.limit === 0 || rateLimitingDisabled()) return { allowed: true, rule }
    await this.ensureIndexes()
    const now = this.now()
    const windowMs = rule.windowSeconds * 1000
    const windowStart = Math.floor(now / windowMs) * windowMs
    const windowEnd = windowStart + windowMs
    const key = `${rule.name}:${subjectHash(subject)}`
    const prefix = `${key}:${windowStart}`
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000))
    this.forgetOldWindows(now)

    let slot = this.hints.get(prefix) ?? 1
    while (slot <= rule.limit) {
      const _id = `${prefix}:${slot}`
      try {
        await this.hits.insertOne({ _id, key, at: new Date(now), expiresAt: new Date(windowEnd) })
        this.hints.set(prefix, slot + 1)
        return { allowed: true, rule, slotId: _id }
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error
        slot++
      }
    }
    this.hints.set(prefix, rule.limit + 1)
    return { allowed: false, rule, retryAfterSeconds }
  }

  /** Gives a slot back (a successful login does not count against the account). */
  async release(outcome: RateLimitOutcome): Promise<void> {
    if (!outcome.allowed || !outcome.slotId) return
    await this.hits.deleteOne({ _id: outcome.slotId })
    const cut = outcome.slotId.lastIndexOf(':')
    const prefix = outcome.slotId.slice(0, cut)
    const slot = Number(outcome.slotId.slice(cut + 1))
    const hint = this.hints.get(prefix)
    if (hint !== undefined && slot < hint) this.hints.set(prefix, slot)
  }

  private lastCleanup = 0

  private forgetOldWindows(now: number): void {
    if (now - this.lastCleanup < 60_000 && this.hints.size < 50_000) return
    this.lastCleanup = now
    for (const prefix of this.hints.keys()) {
      const windowStart = Number(prefix.slice(prefix.lastIndexOf(':') + 1))
      // Longest window we configure is hours; anything older than a day is certainly finished.
      if (!Number.isFinite(windowStart) || now - windowStart > 24 * 60 * 60 * 1000) this.hints.delete(prefix)
    }
    if (this.hints.size >= 50_000) this.hints.clear()
  }
}

/** Deletes finished windows' slots (FerretDB has no TTL index); returns how many. Safe on every replica. */
export function sweepExpiredRateLimitHits(db: Db, now: Date = new Date()): Promise<number> {
  return sweepExpired(db.collection<RateLimitHit>(RATE_LIMIT_COLLECTION), 'expiresAt', now)
}

const limiters = new WeakMap<Db, RateLimiter>()

export function rateLimiterFor(db: Db): RateLimiter {
  let limiter = limiters.get(db)
  if (!limiter) {
    limiter = new RateLimiter(db)
    limiters.set(db, limiter)
  }
  return limiter
}

/** Checks several rules in order; the first refusal wins (slots already taken by earlier rules stay taken). */
export async function hitAll(limiter: RateLimiter, checks: { rule: RateLimitRule['name']; subject: string | null | undefined }[]): Promise<{ refused?: Extract<RateLimitOutcome, { allowed: false }>; taken: RateLimitOutcome[] }> {
  const taken: RateLimitOutcome[] = []
  for (const check of checks) {
    if (!check.subject) continue
    const outcome = await limiter.hit(rateLimitRule(check.rule), check.subject)
    if (!outcome.allowed) return { refused: outcome, taken }
    taken.push(outcome)
  }
  return { taken }
}
