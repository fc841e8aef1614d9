import { randomUUID } from 'node:crypto'

import { ObjectId, type Db } from 'mongodb'
import type { Payload } from 'payload'

import { BoundedMap } from '../lib/boundedMap'
import { BOOKED, MAX_SESSION_MS, type Interval } from '../scheduling'
import { findByIds } from '../storage/byId'
import { ChangeLog } from '../storage/changeLog'
import { collectionNameOf, mongoDb } from '../storage/db'
import type { Stamped } from '../storage/stampedCache'

/**
 * Per-replica cache of a tutor's (or student's) booked time, kept current by the party's change log
 * (src/storage/changeLog.ts, docs/cache.md): every appointment write appends the appointment's id under
 * "tutor:<id>" and "student:<id>"; a read checks for entries after the one it has seen (one read by `_id`), and
 * applies new ones by reading just those appointments again. The whole calendar is loaded once per replica,
 * again only when the log cannot say what changed (too far behind, or swept) or the load is an hour old.
 *
 * Why: a slot search or a booking must not cost more the more appointments exist, and on FerretDB the query
 * that loads a calendar reads much of the collection. Nothing here decides a booking — the claims do — so the
 * cache is an optimisation only.
 */
export type BookedInterval = Interval & { id: string }

export type Party = 'tutor' | 'student'

/** What a delta needs to know of an appointment, read again by id. */
export type AppointmentRow = { id: string; tutor: string; student: string; status: string; start: number; end: number }

type Calendar = { generation: string; seq: number; loadedAt: number; intervals: readonly BookedInterval[] }

export type CalendarSources = {
  /** Every booked session of the party that ends after `since`. */
  loadAll: (party: Party, id: string, since: number) => Promise<BookedInterval[]>
  /** The appointments with these ids as stored now (missing ones left out). */
  readAppointments: (ids: readonly string[]) => Promise<AppointmentRow[]>
}

/** How far back the cached calendars reach: enough for any slot search or booking starting now. */
const CACHE_SINCE_MS = 24 * 60 * 60 * 1000
/**
 * A calendar loaded longer ago than this is reloaded in the background (served meanwhile). A backstop only: it
 * repairs a change whose writer died between saving the appointment and appending to the log.
 */
const MAX_CALENDAR_AGE_MS = 60 * 60 * 1000
/** Bound on memory: at most this many intervals over all cached calendars (≈ 150 bytes each). */
const MAX_CACHED_INTERVALS = 400_000

export class CalendarCache {
  private readonly calendars = new BoundedMap<string, Calendar>(5_000, { maxWeight: MAX_CACHED_INTERVALS, weigh: (calendar) => calendar.intervals.length + 1 })
  private readonly loads = new Map<string, Promise<Calendar>>()
  private readonly catchUps = new Map<string, Promise<{ calendar: Calendar; startedAt: number }>>()
  /** Orders requests and catch-ups within this replica. */
  private clock = 0
  /** Counters for tests and diagnostics: whole-calendar loads and delta applications this replica made. */
  readonly stats = { fullLoads: 0, deltas: 0, deltaRefs: 0 }

  constructor(
    readonly log: ChangeLog,
    private readonly sources: CalendarSources,
    private readonly now: () => number = Date.now,
  ) {}

  /** The party's booked intervals (raw sessions, no buffers) from shortly before now onwards. Do not mutate. */
  async bookedIntervals(party: Party, id: string): Promise<readonly BookedInterval[]> {
    return (await this.bookedIntervalsStamped(party, id)).value
  }

  /** The same, with a stamp that changes whenever they do: results derived from them can be cached under it. */
  async bookedIntervalsStamped(party: Party, id: string): Promise<Stamped<readonly BookedInterval[]>> {
    const key = `${party}:${id}`
    const began = ++this.clock
    const cached = this.calendars.get(key)
    let calendar: Calendar = cached ?? (await this.shared(this.loads, key, () => this.loadAll(key, party, id))).value
    if (cached && this.now() - cached.loadedAt > MAX_CALENDAR_AGE_MS) void this.shared(this.loads, key, () => this.loadAll(key, party, id)).catch(() => undefined)
    // Any change after the one we have? One read by `_id` (checked after a shared load too: it may have begun
    // before a write this request must see). The catch-up reads every entry there is when it starts, so one that
    // started after this request did is as fresh as this request needs; an older one is waited for, then probed again.
    while (await this.log.changedAfter(key, calendar.seq)) {
      const run = await this.shared(this.catchUps, key, () => this.catchUp(key, party, id, this.calendars.get(key) ?? calendar))
      calendar = run.value.calendar
      if (run.value.startedAt > began) break
    }
    return { stamp: `${calendar.generation}:${calendar.seq}`, value: calendar.intervals }
  }

  /** Records, after the appointment write is saved, that it changed these parties' calendars (every replica reads it). */
  async appointmentChanged(appointmentId: string, parties: readonly { party: Party; id: string }[]): Promise<void> {
    const keys = new Set(parties.map(({ party, id }) => `${party}:${id}`))
    await Promise.all([...keys].map((key) => this.log.append(key, [appointmentId])))
  }

  /** Concurrent callers for one key share one run (single-flight per replica). */
  private async shared<T>(running: Map<string, Promise<T>>, key: string, run: () => Promise<T>): Promise<{ value: T; joined: boolean }> {
    const inFlight = running.get(key)
    if (inFlight) return { value: await inFlight, joined: true }
    const promise = run().finally(() => running.delete(key))
    running.set(key, promise)
    return { value: await promise, joined: false }
  }

  private async loadAll(key: string, party: Party, id: string): Promise<Calendar> {
    // The head is read before the load: every change up to it is in the load, later ones come as deltas.
    const seq = await this.log.head(key)
    const intervals = await this.sources.loadAll(party, id, this.now() - CACHE_SINCE_MS)
    this.stats.fullLoads++
    const calendar: Calendar = { generation: randomUUID(), seq, loadedAt: this.now(), intervals }
    this.keep(key, calendar, true)
    return calendar
  }

  private async catchUp(key: string, party: Party, id: string, from: Calendar): Promise<{ calendar: Calendar; startedAt: number }> {
    const startedAt = ++this.clock
    const changes = await this.log.changesAfter(key, from.seq)
    if ('gap' in changes) return { calendar: await this.loadAll(key, party, id), startedAt }
    const rows = await this.sources.readAppointments(changes.refs)
    const changed = new Set(changes.refs)
    const since = this.now() - CACHE_SINCE_MS
    const intervals = from.intervals.filter((interval) => !changed.has(interval.id) && interval.end > since)
    for (const row of rows) {
      if (row[party] === id && row.status === BOOKED && row.end > since) intervals.push({ id: row.id, start: row.start, end: row.end })
    }
    this.stats.deltas++
    this.stats.deltaRefs += changes.refs.length
    const calendar: Calendar = { generation: from.generation, seq: changes.n, loadedAt: from.loadedAt, intervals }
    this.keep(key, calendar, false)
    return { calendar, startedAt }
  }

  /** Keeps the newer of what is cached and `calendar` (a reload always wins: it repairs what deltas missed). */
  private keep(key: string, calendar: Calendar, reload: boolean): void {
    const current = this.calendars.get(key)
    if (!current || reload || calendar.seq >= current.seq) this.calendars.set(key, calendar)
  }
}

/** Longest a session can be: looking this far back catches every appointment still running at `since`. */
const LOOKBEHIND_MS = MAX_SESSION_MS

/** Payload stores relationship ids as ObjectIds; a query must use the same type to match. */
const storedId = (id: string): ObjectId | string => (ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : id)

type AppointmentDocument = { _id: unknown; tutor: unknown; student: unknown; status: string; start: Date | string; end: Date | string }

/**
 * The database side, on the driver directly (no hooks, no access checks: internal bookkeeping). The party and
 * status are scalar equalities, which FerretDB answers from PostgreSQL without decoding the whole collection
 * (Payload's own query for a relationship is an `$in` of the id's forms, which it cannot push down); the start
 * is compared here. MongoDB serves the same query from the { party, status, start } index.
 */
export function databaseCalendarSources(payload: Payload, db: Db = mongoDb(payload)): CalendarSources {
  const appointments = db.collection<AppointmentDocument>(collectionNameOf(payload, 'appointments'))
  const time = (value: Date | string) => new Date(value).getTime()
  const projection = { tutor: 1, student: 1, status: 1, start: 1, end: 1 }
  return {
    loadAll: async (party, id, since) => {
      const docs = await appointments.find({ [party]: storedId(id), status: BOOKED }, { projection }).toArray()
      return docs
        .map((doc) => ({ id: String(doc._id), start: time(doc.start), end: time(doc.end) }))
        .filter((interval) => interval.end > since && interval.start >= since - LOOKBEHIND_MS)
    },
    readAppointments: async (ids) => {
      const docs = await findByIds(appointments, ids.map(storedId), { projection })
      return docs.map((doc) => ({
        id: String(doc._id),
        tutor: String(doc.tutor),
        student: String(doc.student),
        status: doc.status,
        start: time(doc.start),
        end: time(doc.end),
      }))
    },
  }
}

const caches = new WeakMap<Payload, CalendarCache>()

export function calendarCacheFor(payload: Payload): CalendarCache {
  let cache = caches.get(payload)
  if (!cache) {
    const db = mongoDb(payload)
    const log = new ChangeLog(db)
    void log.ensureIndexes().catch(() => undefined)
    cache = new CalendarCache(log, databaseCalendarSources(payload, db))
    caches.set(payload, cache)
  }
  return cache
}

/** Booked sessions of one tutor or student that may touch `range` (a range starting before yesterday is clipped). */
export async function busyIntervals(payload: Payload, party: Party, partyId: string, range: Interval, excludeAppointmentId?: string | number): Promise<Interval[]> {
  const intervals = await calendarCacheFor(payload).bookedIntervals(party, partyId)
  const excluded = excludeAppointmentId === undefined ? undefined : String(excludeAppointmentId)
  return intervals.filter((interval) => interval.start < range.end && interval.end > range.start && interval.id !== excluded)
}
