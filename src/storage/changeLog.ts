import type { Collection, Db } from 'mongodb'

import { BoundedMap } from '../lib/boundedMap'
import { retryBusy } from './busyRetry'
import { isDuplicateKeyError } from './duplicateKey'
import { SharedReads } from './sharedReads'

/**
 * A per-key log of changes, numbered 1, 2, 3 … with no gaps, shared by every replica through the database
 * (docs/cache.md). Each entry names what changed (`refs`, e.g. appointment ids), not the new state: a reader
 * reads those things again, so entries may be applied in any order and more than once.
 *
 * Numbers are taken by inserting `_id` "<key>:<n>": the unique `_id` gives each number to exactly one writer,
 * on FerretDB (whose updates are not atomic) as on MongoDB. A writer only tries n once n − 1 exists (it starts
 * above a number it saw stored and moves up only past numbers refused as taken), so a number that is missing
 * means nothing after it exists yet: a reader learns "no change since n" from one read by `_id` of n + 1.
 *
 * The head document per key (`<key>` in change_log_heads) is only a hint of the highest number, for a reader
 * that has none yet and for a writer that fell behind. It may lag or even go back (FerretDB's `$max` is a
 * read-then-write), so it is always followed by probing upwards.
 */
export const CHANGE_LOG_COLLECTION = 'change_log'
export const CHANGE_LOG_HEADS_COLLECTION = 'change_log_heads'

/** Entries older than this are deleted by the maintenance sweep; readers reload rather than rely on older ones. */
export const CHANGE_LOG_RETENTION_MS = 3 * 60 * 60 * 1000
/** A writer's own hint older than this is not trusted (its entries may have been swept): it reads the head. */
const LOCAL_HINT_MAX_AGE_MS = 30 * 60 * 1000
/** A reader further behind than this reloads instead of reading the entries one by one. */
export const MAX_CATCH_UP_ENTRIES = 200

type Entry = { _id: string; key: string; n: number; refs: string[]; at: Date }
type Head = { _id: string; n: number }

export type ChangesAfter = { n: number; refs: string[] } | { gap: true }

export class ChangeLog {
  private readonly entries: Collection<Entry>
  private readonly heads: Collection<Head>
  /** Highest number this process saw stored, per key (a hint for writers). */
  private readonly known = new BoundedMap<string, { n: number; at: number }>(10_000)
  /** Appends of one key wait for the one in flight and then go as one entry (group commit). */
  private readonly waiting = new Map<string, { refs: Set<string>; done: Promise<number> }>()
  private readonly tails = new Map<string, Promise<unknown>>()
  /** Concurrent "anything after n?" probes of one key share a round trip, never one that began before the caller. */
  private readonly probes = new SharedReads<string[] | null>()

  constructor(db: Db) {
    this.entries = db.collection<Entry>(CHANGE_LOG_COLLECTION)
    this.heads = db.collection<Head>(CHANGE_LOG_HEADS_COLLECTION)
  }

  async ensureIndexes(): Promise<void> {
    await this.entries.createIndex({ at: 1 })
  }

  /** Records that `refs` changed under `key`; resolves with the entry's number once it is stored. */
  append(key: string, refs: readonly string[]): Promise<number> {
    const batch = this.waiting.get(key)
    if (batch) {
      for (const ref of refs) batch.refs.add(ref)
      return batch.done
    }
    const refSet = new Set(refs)
    const before = this.tails.get(key) ?? Promise.resolve()
    const done = before.then(() => {
      // From here on, new appends of this key form the next batch.
      this.waiting.delete(key)
      return this.insertNext(key, [...refSet])
    })
    this.waiting.set(key, { refs: refSet, done })
    const tail = done.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return done
  }

  private async insertNext(key: string, refs: string[]): Promise<number> {
    const local = this.known.get(key)
    let n = (local && Date.now() - local.at < LOCAL_HINT_MAX_AGE_MS ? local.n : await this.headHint(key)) + 1
    for (let refused = 0; ; refused++) {
      try {
        await retryBusy(() => this.entries.insertOne({ _id: `${key}:${n}`, key, n, refs, at: new Date() }))
        break
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error
        // n is taken, so n + 1 may be tried; a writer far behind jumps to the head once.
        n = refused === 1 ? Math.max(n, await this.headHint(key)) + 1 : n + 1
      }
    }
    this.noteStored(key, n)
    await this.raiseHead(key, n)
    return n
  }

  /** The number of the newest entry of `key` (0 when there is none). */
  async head(key: string): Promise<number> {
    let n = await this.headHint(key)
    while (await this.entryRefs(key, n + 1)) n++
    this.noteStored(key, n)
    return n
  }

  /** Whether any entry follows `after`: one read by `_id`. */
  async changedAfter(key: string, after: number): Promise<boolean> {
    return (await this.probes.read(`${key}:${after + 1}`, () => this.entryRefs(key, after + 1))) !== null
  }

  /**
   * The changes after entry `after`: the newest number and every ref since (one read by `_id` when there is
   * none). `gap` when the entries are too many to read one by one or missing (swept): reload instead.
   */
  async changesAfter(key: string, after: number): Promise<ChangesAfter> {
    const first = await this.entryRefs(key, after + 1)
    if (!first) return { n: after, refs: [] }
    const refs = new Set(first)
    let n = after + 1
    const hint = await this.headHint(key)
    if (hint - after > MAX_CATCH_UP_ENTRIES) return { gap: true }
    if (hint > n) {
      const middle = await Promise.all(Array.from({ length: hint - n }, (_, i) => this.entryRefs(key, n + 1 + i)))
      if (middle.some((entry) => entry === null)) return { gap: true }
      for (const entry of middle) for (const ref of entry!) refs.add(ref)
      n = hint
    }
    // The hint may lag: read on until a number is missing.
    for (let next = await this.entryRefs(key, n + 1); next; next = await this.entryRefs(key, n + 1)) {
      for (const ref of next) refs.add(ref)
      if (++n - after > MAX_CATCH_UP_ENTRIES) return { gap: true }
    }
    this.noteStored(key, n)
    return { n, refs: [...refs] }
  }

  /** Deletes entries older than the retention (every replica may run it: it only deletes). */
  async sweep(now = Date.now()): Promise<number> {
    return (await this.entries.deleteMany({ at: { $lt: new Date(now - CHANGE_LOG_RETENTION_MS) } })).deletedCount
  }

  private async entryRefs(key: string, n: number): Promise<string[] | null> {
    if (n < 1) return null
    const entry = await this.entries.findOne({ _id: `${key}:${n}` }, { projection: { refs: 1 } })
    return entry ? entry.refs : null
  }

  private async headHint(key: string): Promise<number> {
    return (await this.heads.findOne({ _id: key }))?.n ?? 0
  }

  private async raiseHead(key: string, n: number): Promise<void> {
    const updated = await retryBusy(() => this.heads.updateOne({ _id: key }, { $max: { n } }))
    if (updated.matchedCount > 0) return
    try {
      await retryBusy(() => this.heads.insertOne({ _id: key, n }))
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
      await retryBusy(() => this.heads.updateOne({ _id: key }, { $max: { n } }))
    }
  }

  private noteStored(key: string, n: number): void {
    const local = this.known.get(key)
    if (!local || local.n <= n) this.known.set(key, { n, at: Date.now() })
  }
}
