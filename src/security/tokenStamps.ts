import { createHash, randomBytes } from 'node:crypto'

import type { Db } from 'mongodb'

import { ensureExpiryIndex, sweepExpired } from '../storage/expiry'
import { VERIFICATION_LINK_VALID_MS } from './config'

/**
 * Payload 3.90 never expires `_verificationToken`: a verification link would work forever. We record when each
 * token was issued, keyed by a hash of the token (the token itself is a credential and is not stored twice),
 * and the verify endpoint (collections/Students/endpoints/verifyEmail.ts) refuses tokens older than 24 h or unknown.
 * Lookups are by `_id`, the one filter FerretDB pushes down to storage.
 */
export const TOKEN_STAMPS_COLLECTION = 'auth_token_stamps'

export type TokenStamp = { _id: string; collection: string; userId: string; at: Date; expiresAt: Date }

const stampId = (kind: 'verify', token: string): string => `${kind}:${createHash('sha256').update(token).digest('hex')}`

const indexed = new WeakSet<Db>()

/** Stamps expire at `expiresAt` (src/storage/expiry.ts: a TTL index, or `sweepExpiredTokenStamps` on FerretDB). */
async function ensureTtlIndex(db: Db): Promise<void> {
  if (indexed.has(db)) return
  indexed.add(db)
  await ensureExpiryIndex(db.collection<TokenStamp>(TOKEN_STAMPS_COLLECTION), 'expiresAt')
}

export async function stampVerificationToken(db: Db, args: { collection: string; userId: string; token: string; now?: number }): Promise<void> {
  await ensureTtlIndex(db)
  const at = args.now ?? Date.now()
  // Tokens are 160 random bits: a plain insert (no upsert, which FerretDB does not make atomic) is enough.
  await db.collection<TokenStamp>(TOKEN_STAMPS_COLLECTION).insertOne({
    _id: stampId('verify', args.token),
    collection: args.collection,
    userId: args.userId,
    at: new Date(at),
    expiresAt: new Date(at + VERIFICATION_LINK_VALID_MS),
  })
}

export type TokenVerdict = { ok: true; userId: string } | { ok: false; reason: 'unknown' | 'expired' }

export async function checkVerificationToken(db: Db, collection: string, token: string, now = Date.now()): Promise<TokenVerdict> {
  const stamp = await db.collection<TokenStamp>(TOKEN_STAMPS_COLLECTION).findOne({ _id: stampId('verify', token) })
  if (!stamp || stamp.collection !== collection) return { ok: false, reason: 'unknown' }
  if (stamp.expiresAt.getTime() <= now) return { ok: false, reason: 'expired' }
  return { ok: true, userId: stamp.userId }
}

export async function forgetVerificationToken(db: Db, token: string): Promise<void> {
  await db.collection<TokenStamp>(TOKEN_STAMPS_COLLECTION).deleteOne({ _id: stampId('verify', token) })
}

/** Same format as Payload's own verification tokens. */
export const newVerificationToken = (): string => randomBytes(20).toString('hex')

/** Deletes stamps of expired links (for the scheduler, like the rate-limit sweeper); returns how many. */
export function sweepExpiredTokenStamps(db: Db, now: Date = new Date()): Promise<number> {
  return sweepExpired(db.collection<TokenStamp>(TOKEN_STAMPS_COLLECTION), 'expiresAt', now)
}
