import type { Collection, Db } from 'mongodb'
import type { Payload } from 'payload'

import { claimGranules, type Interval } from '../scheduling'
import { deleteByIds, findByIds } from '../storage/byId'
import { mongoDb } from '../storage/db'
import { insertManyIgnoringDuplicates, putById } from '../storage/duplicateKey'

/**
 * Conflict-safe booking without transactions or atomic updates.
 *
 * Every booked appointment owns one claim document per 5-minute granule of the tutor's blocked time
 * (session + buffers) and per granule of the student's time. A claim's `_id` names the party and the granule
 * ("tutor:<id>:<ms>"), so the database's built-in unique `_id` index lets exactly one of several racing
 * inserts win, on FerretDB and on MongoDB alike, across any number of replicas. Claims carry the appointment's
 * `bookingKey` (stable for the appointment's life), so a reschedule can keep granules it already owns.
 */
export const CLAIMS_COLLECTION = 'booking_claims'

export const CLAIM_SWEEPS_COLLECTION = 'booking_claim_sweeps'
const ORPHAN_SWEEP_ID = 'orphan-claims'

export type Party = 'tutor' | 'student'

export type ClaimDocument = {
  _id: string
  holder: string
  party: Party
  partyId: string
  granule: number
  createdAt: Date
}

export type ClaimRequest = {
  holder: string
  tutorId: string
  studentId: string
  tutorInterval: Interval
  studentInterval: Interval
}

export type ClaimOutcome =
  | { ok: true; insertedIds: string[]; claimIds: string[] }
  | { ok: false; conflictingParty: Party }

export const claimId = (party: Party, partyId: string, granule: number): string => `${party}:${partyId}:${granule}`

export function claimDocuments(request: ClaimRequest, now = new Date()): ClaimDocument[] {
  const build = (party: Party, partyId: string, interval: Interval) =>
    claimGranules(interval).map((granule) => ({
      _id: claimId(party, partyId, granule),
      holder: request.holder,
      party,
      partyId,
      granule,
      createdAt: now,
    }))
  return [...build('tutor', request.tutorId, request.tutorInterval), ...build('student', request.studentId, request.studentInterval)]
}

export class ClaimStore {
  private readonly claims: Collection<ClaimDocument>
  private readonly sweeps: Collection<{ _id: string; until: Date }>

  constructor(db: Db) {
    this.claims = db.collection<ClaimDocument>(CLAIMS_COLLECTION)
    this.sweeps = db.collection<{ _id: string; until: Date }>(CLAIM_SWEEPS_COLLECTION)
  }

  async ensureIndexes(): Promise<void> {
    await this.claims.createIndex({ holder: 1 })
    await this.claims.createIndex({ createdAt: 1 })
  }

  /**
   * Inserts every claim the request needs. Granules this holder already owns (a reschedule overlapping its
   * own old time) count as held. On any conflict, the claims this call inserted are deleted again and the
   * party whose time is taken is reported.
   */
  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const documents = claimDocuments(request)
    const claimIds = documents.map((doc) => doc._id)
    const failedIds = await this.insertIgnoringDuplicates(documents)
    const insertedIds = claimIds.filter((id) => !failedIds.has(id))
    if (failedIds.size === 0) return { ok: true, insertedIds, claimIds }

    const existing = await findByIds(this.claims, [...failedIds], { projection: { holder: 1, party: 1 } })
    const foreign = existing.filter((doc) => doc.holder !== request.holder)
    // A claim that vanished between our insert and this read was released by its owner; treat it as taken
    // for this attempt (the caller may retry) rather than silently not holding it.
    const missing = failedIds.size - existing.length
    if (foreign.length === 0 && missing === 0) return { ok: true, insertedIds, claimIds }

    await this.release(request.holder, insertedIds)
    const party: Party = foreign.some((doc) => doc.party === 'tutor') || (foreign.length === 0 && [...failedIds].some((id) => id.startsWith('tutor:')))
      ? 'tutor'
      : 'student'
    return { ok: false, conflictingParty: party }
  }

  /** Frees every claim of an appointment (cancelled, deleted). */
  async releaseAll(holder: string): Promise<void> {
    await this.claims.deleteMany({ holder })
  }

  /** After a move, frees the claims the appointment no longer needs. */
  async releaseAllExcept(holder: string, keepIds: readonly string[]): Promise<void> {
    await this.claims.deleteMany({ holder, _id: { $nin: [...keepIds] } })
  }

  /**
   * Frees these claims if this holder still holds them. Never by id alone: a delete that reaches the database late
   * (its request met an outage) must not free time another booking has claimed since.
   */
  async release(holder: string, ids: readonly string[]): Promise<void> {
    await deleteByIds(this.claims, ids, { holder })
  }

  /** Deletes a holder's claims older than `before` that are not in `keepIds`; returns how many. */
  async releaseStale(holder: string, keepIds: readonly string[], before: Date): Promise<number> {
    const result = await this.claims.deleteMany({ holder, _id: { $nin: [...keepIds] }, createdAt: { $lt: before } })
    return result.deletedCount
  }

  /** Holders of claims created in [since, before), for the sweeper: each claim is looked at once, not every minute. */
  async holdersCreatedBetween(since: Date, before: Date): Promise<string[]> {
    const docs = await this.claims.find({ createdAt: { $gte: since, $lt: before } }, { projection: { holder: 1 } }).toArray()
    return [...new Set(docs.map((doc) => doc.holder))]
  }

  /**
   * Before a write that will free an appointment's time (cancel, delete): a marker claim, so that if the process
   * dies between that write and the release, the sweeper sees this holder again. The release deletes it with
   * the rest of the holder's claims.
   */
  async markPendingRelease(holder: string, now = new Date()): Promise<void> {
    await this.claims.insertOne({ _id: `release:${holder}:${now.getTime()}:${Math.random().toString(36).slice(2, 8)}`, holder, party: 'tutor', partyId: '', granule: -1, createdAt: now })
  }

  /** Up to when the sweeper has looked at claims (a lost or stale write only makes it look again). */
  async sweptUntil(): Promise<Date> {
    const doc = await this.sweeps.findOne({ _id: ORPHAN_SWEEP_ID })
    return doc?.until ?? new Date(0)
  }

  async recordSweptUntil(until: Date): Promise<void> {
    await putById(this.sweeps, { _id: ORPHAN_SWEEP_ID, until })
  }

  async claimIdsOf(holder: string): Promise<string[]> {
    const docs = await this.claims.find({ holder }, { projection: { _id: 1 } }).toArray()
    return docs.map((doc) => doc._id)
  }

  private async insertIgnoringDuplicates(documents: ClaimDocument[]): Promise<Set<string>> {
    const refused = await insertManyIgnoringDuplicates(this.claims, documents)
    return new Set([...refused].map((index) => documents[index]._id))
  }
}

const stores = new WeakMap<Payload, Promise<ClaimStore>>()

/** The claim store of this Payload's database, its indexes made once. */
export function claimStoreFor(payload: Payload): Promise<ClaimStore> {
  let store = stores.get(payload)
  if (!store) {
    store = (async () => {
      const created = new ClaimStore(mongoDb(payload))
      await created.ensureIndexes()
      return created
    })()
    // A failed start (the database was unreachable) is tried again by the next booking, not kept until a restart.
    store.catch(() => stores.delete(payload))
    stores.set(payload, store)
  }
  return store
}
