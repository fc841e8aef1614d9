import type { Collection, Db } from 'mongodb'

import { retryBusy } from '../storage/busyRetry'
import { isDuplicateKeyError } from '../storage/duplicateKey'

/**
 * Who owns attempt n of a message. Like the booking claims (src/booking/claimStore.ts), ownership is the
 * insert of a document whose `_id` names the thing ("<emailId>:<attempt>"): the unique `_id` index lets exactly
 * one of several racing dispatchers win, on FerretDB and MongoDB alike, without atomic conditional updates.
 * Only the owner of an attempt sends it and writes the message's state.
 */
export const SEND_CLAIMS_COLLECTION = 'email_send_claims'

export type SendClaim = { _id: string; emailId: string; attempt: number; owner: string; createdAt: Date }

export const sendClaimId = (emailId: string, attempt: number): string => `${emailId}:${attempt}`

export class SendClaims {
  readonly collection: Collection<SendClaim>

  constructor(db: Db) {
    this.collection = db.collection<SendClaim>(SEND_CLAIMS_COLLECTION)
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ emailId: 1 })
    await this.collection.createIndex({ createdAt: 1 })
  }

  /** True when this call inserted the claim, i.e. the caller owns that attempt. */
  async tryClaim(emailId: string, attempt: number, owner: string, now = new Date()): Promise<boolean> {
    try {
      await retryBusy(() => this.collection.insertOne({ _id: sendClaimId(emailId, attempt), emailId, attempt, owner, createdAt: now }))
      return true
    } catch (error) {
      if (isDuplicateKeyError(error)) return false
      throw error
    }
  }

  async get(emailId: string, attempt: number): Promise<SendClaim | null> {
    return this.collection.findOne({ _id: sendClaimId(emailId, attempt) })
  }

  /** Gives back an attempt its owner decided not to make (nothing was sent under it). */
  async release(emailId: string, attempt: number): Promise<void> {
    // By `_id` alone (the caller inserted it, so it is the caller's): FerretDB uses an index only for `_id`.
    await retryBusy(() => this.collection.deleteOne({ _id: sendClaimId(emailId, attempt) }))
  }

  async countFor(emailId: string): Promise<number> {
    return this.collection.countDocuments({ emailId })
  }

  /** Housekeeping: claims far older than any lease serve no one. */
  async deleteOlderThan(before: Date): Promise<number> {
    return (await this.collection.deleteMany({ createdAt: { $lt: before } })).deletedCount
  }
}
