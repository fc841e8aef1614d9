import { createHash } from 'node:crypto'

import type { Collection, Db } from 'mongodb'

import { isDuplicateKeyError } from '../storage/duplicateKey'
import { ensureExpiryIndex, sweepExpired } from '../storage/expiry'
import { orphanClaimBoundMs } from './claimSweeper'

/**
 * Idempotency-Key support for booking. The first request with a key inserts a record whose `_id` is
 * student + key; the unique `_id` index makes that insert the lock (no conditional update needed, which
 * FerretDB would not make atomic). The owner stores its final response; retries replay it. A record still pending
 * after ORPHAN_CLAIM_BOUND_MS belongs to a request that died or could not reach the database to give it back: a
 * retry takes it over instead of waiting for it for a day. Records expire RETENTION_MS after `createdAt`
 * (src/storage/expiry.ts); begin() re-checks the age itself, so a late expiry changes nothing.
 */
export const IDEMPOTENCY_COLLECTION = 'idempotency_keys'
const RETENTION_MS = 24 * 60 * 60 * 1000

type IdempotencyRecord = {
  _id: string
  bodyHash: string
  state: 'pending' | 'done'
  status?: number
  response?: unknown
  createdAt: Date
}

export type IdempotencyStart =
  | { kind: 'owner'; finish: (status: number, response: unknown) => Promise<void>; abandon: () => Promise<void> }
  | { kind: 'replay'; status: number; response: unknown }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' }

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200

export function hashBody(body: unknown): string {
  return createHash('sha256').update(stableStringify(body)).digest('hex')
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined'
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableStringify(inner)}`).join(',')}}`
}

const indexed = new WeakMap<Db, Promise<void>>()

export class IdempotencyStore {
  private readonly records: Collection<IdempotencyRecord>

  constructor(private readonly db: Db) {
    this.records = db.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION)
  }

  /** The expiry index, made once per database. */
  ensureIndexes(): Promise<void> {
    let done = indexed.get(this.db)
    if (!done) {
      done = ensureExpiryIndex(this.records, 'createdAt', RETENTION_MS / 1000)
      indexed.set(this.db, done)
    }
    return done
  }

  async begin(scope: string, key: string, body: unknown, now = new Date()): Promise<IdempotencyStart> {
    await this.ensureIndexes()
    const _id = `${scope}:${key}`
    const bodyHash = hashBody(body)
    try {
      await this.records.insertOne({ _id, bodyHash, state: 'pending', createdAt: now })
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
      const existing = await this.records.findOne({ _id })
      if (!existing) return this.begin(scope, key, body, now)
      if (now.getTime() - existing.createdAt.getTime() > RETENTION_MS) {
        await this.records.deleteOne({ _id, createdAt: existing.createdAt })
        return this.begin(scope, key, body, now)
      }
      if (existing.bodyHash !== bodyHash) return { kind: 'mismatch' }
      if (existing.state === 'done') return { kind: 'replay', status: existing.status ?? 200, response: existing.response }
      if (now.getTime() - existing.createdAt.getTime() > orphanClaimBoundMs()) {
        await this.records.deleteOne({ _id, createdAt: existing.createdAt, state: 'pending' })
        return this.begin(scope, key, body, now)
      }
      return { kind: 'in_progress' }
    }
    return {
      kind: 'owner',
      // Only the owner ever writes this record, so a plain update is safe here.
      finish: async (status, response) => {
        await this.records.updateOne({ _id }, { $set: { state: 'done', status, response } })
      },
      abandon: async () => {
        await this.records.deleteOne({ _id })
      },
    }
  }

  async sweepExpired(now = new Date()): Promise<number> {
    // `$lt` the retention cutoff, as `$lte` one millisecond before it.
    return sweepExpired(this.records, 'createdAt', new Date(now.getTime() - RETENTION_MS - 1))
  }
}
