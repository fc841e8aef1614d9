import { createHash } from 'node:crypto'

import type { Collection, Db } from 'mongodb'

import { rateLimitingDisabled, rateLimitRule, type RateLimitRule } from './config'

/**
 * Fixed-window rate limits shared by every replica, exact under concurrency on MongoDB and FerretDB alike.
 *
 * FerretDB 1.24 makes neither `$inc` nor conditional updates atomic, and only pushes `_id` equality down to
 * storage (a `count({ key })` would scan the whole collection on every login). So a limit of L attempts per
 * window is L numbered *slots*, one document each, whose `_id` names the rule, the subject, the window and the
 * slot number: `login:account:<hash>:<windowStart>:<n>`. An attempt takes the lowest free slot by inserting
 * it; the built-in unique `_id` index lets exactly one of several racing inserts of a slot win, so the k-th
 * concurrent attempt ends up with slot k and attempt L+1 finds every slot taken and is refused. No counting
 * query, no update, no transaction.
 *
 * Cost: one insert when this process's hint is right; an attempt that races others tries the next slot
 * (at most L inserts, worst case, once per process and window). Once this process has seen the window full,
 * it refuses without touching the database, so a flood costs nothing. A successful login gives its slot back
 * (`release`), so the limit counts failed (and in-flight) attempts, not a user's good logins; the releasing
 * process lowers its hint to reuse that slot, other processes may not notice the gap, which can only make
 * them stricter, never looser.
 *
 * Documents carry `expiresAt` (the end of their window). A TTL index removes them on MongoDB; FerretDB 1.24
 * does not implement TTL indexes ("Index option expireAfterSeconds is not implemented yet"), so
 * `sweepExpiredRateLimitHits(db)` exists for a scheduler to call.
 */
export const RATE_LIMIT_COLLECTION = 'rate_limit_hits'

export type RateLimitHit = { _id: string; key: string; at: Date; expiresAt: Date }

export type RateLimitOutcome =
  | { allowed: true; rule: RateLimitRule; slotId?: string }
  | { allowed: false; rule: RateLimitRule; retryAfterSeconds: number }

const DUPLICATE_KEY = 11000

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

  /** TTL index where the server supports one (MongoDB); FerretDB refuses it, and the sweeper does the job. */
  ensureIndexes(): Promise<void> {
    this.indexes ??= this.hits
      .createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiresAt_ttl' })
      .then(() => undefined)
      .catch(() => this.hits.createIndex({ expiresAt: 1 }, { name: 'expiresAt_1' }).then(() => undefined, () => undefined))
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
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error
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
export async function sweepExpiredRateLimitHits(db: Db, now: Date = new Date()): Promise<number> {
  const result = await db.collection<RateLimitHit>(RATE_LIMIT_COLLECTION).deleteMany({ expiresAt: { $lte: now } })
  return result.deletedCount
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
