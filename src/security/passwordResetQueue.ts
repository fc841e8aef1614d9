import { ObjectId, type Collection, type Db } from 'mongodb'
import type { Payload, PayloadRequest } from 'payload'

import { retryBusy } from '../storage/busyRetry'
import { emailServicesFor } from '../email/services'
import type { SendClaims } from '../email/sendClaims'
import { CLIENT_IP_HEADER } from './clientIp'

/**
 * Forgot-password requests, queued so that nobody can time whether an address has an account.
 *
 * The endpoint (endpoints/forgotPassword.ts) only records the request — one insert, whatever the address — and
 * answers. Looking the address up and, for an account, storing a token and sending the mail happen later and
 * elsewhere in time: in a batch this process runs at a random moment 0.5–2.5 s after the request (later requests
 * join the batch; one batch at a time), or, if the process dies first, in any replica's dispatcher tick once the request is a minute
 * old. A known address used to cost ~40 ms of CPU right after its answer, which slowed exactly the next request;
 * now the cost of a batch lands on whatever requests happen to be in flight, known or unknown alike.
 *
 * Each request is handled once: the handler first claims it with a unique-`_id` insert (email_send_claims,
 * "password-reset:<id>:<attempt>", as the dispatcher claims messages), which holds on FerretDB too. A handler
 * that died leaves its claim; after CLAIM_LEASE_MS the next one takes the next attempt, up to MAX_ATTEMPTS.
 * The typed address is kept only until then (the request is deleted once handled).
 */
export const PASSWORD_RESET_REQUESTS_COLLECTION = 'password_reset_requests'

export type AuthSlug = 'students' | 'users'

export type PasswordResetRequest = {
  _id: ObjectId
  collection: AuthSlug
  email: string
  /** For the audit line of a sent link (auth.password_reset_link_sent). */
  ip: string | null
  requestedAt: Date
  /** From when a dispatcher tick may handle it (the receiving process normally has by then). */
  dueAt: Date
}

/** Random delay of this process's batch: at least MIN, plus up to SPREAD. */
export const BATCH_DELAY_MIN_MS = 500
export const BATCH_DELAY_SPREAD_MS = 2_000
/** Age at which a dispatcher tick takes a request its own process has not handled. */
export const BACKSTOP_GRACE_MS = 60_000
/** Requests this process keeps in memory for its batches; past that (a flood), the backstop takes them. */
const MAX_WAITING = 5_000
const CLAIM_LEASE_MS = 60_000
const MAX_ATTEMPTS = 3

const claimKey = (request: Pick<PasswordResetRequest, '_id'>) => `password-reset:${request._id.toHexString()}`

const collections = new WeakMap<Db, Promise<Collection<PasswordResetRequest>>>()

async function requestsIn(db: Db): Promise<Collection<PasswordResetRequest>> {
  let found = collections.get(db)
  if (!found) {
    const collection = db.collection<PasswordResetRequest>(PASSWORD_RESET_REQUESTS_COLLECTION)
    found = collection.createIndex({ dueAt: 1 }).then(() => collection)
    found.catch(() => collections.delete(db))
    collections.set(db, found)
  }
  return found
}

/** The request's part: one insert. */
export async function recordPasswordResetRequest(db: Db, input: { collection: AuthSlug; email: string; ip: string | null }, now = Date.now()): Promise<PasswordResetRequest> {
  const request: PasswordResetRequest = { _id: new ObjectId(), ...input, requestedAt: new Date(now), dueAt: new Date(now + BACKSTOP_GRACE_MS) }
  const collection = await requestsIn(db)
  await retryBusy(() => collection.insertOne(request))
  return request
}

/* ------------------------------------------------------------------------------------------------------------
 * This process's batches: requests it recorded, handled together at a random moment a little later, one batch
 * at a time (under a flood of requests the lookups queue up here instead of piling onto the database at once).
 * ---------------------------------------------------------------------------------------------------------- */
const waiting: { payload: Payload; request: PasswordResetRequest }[] = []
let batchTimer: NodeJS.Timeout | undefined
let running: Promise<void> | undefined

export function handleSoon(payload: Payload, request: PasswordResetRequest): void {
  if (waiting.length < MAX_WAITING) waiting.push({ payload, request })
  scheduleBatch()
}

function scheduleBatch(): void {
  if (batchTimer || running || waiting.length === 0) return
  // unref: a process that stops meanwhile leaves its requests to the backstop (they are in the database).
  batchTimer = setTimeout(runBatch, BATCH_DELAY_MIN_MS + Math.floor(Math.random() * BATCH_DELAY_SPREAD_MS)).unref()
}

function runBatch(): void {
  if (batchTimer) clearTimeout(batchTimer)
  batchTimer = undefined
  if (running) return
  const batch = waiting.splice(0)
  if (batch.length === 0) return
  running = (async () => {
    for (const { payload, request } of batch) await handleOnce(payload, request)
  })().finally(() => {
    running = undefined
    scheduleBatch()
  })
}

/** Handles every waiting request now and waits until none is left (tests, scripts). */
export async function settlePasswordResetRequests(): Promise<void> {
  for (;;) {
    if (running) await running
    else if (waiting.length > 0) runBatch()
    else return
  }
}

/* ------------------------------------------------------------------------------------------------------------
 * The backstop: requests whose process died before handling them, taken by the dispatcher tick of any replica.
 * ---------------------------------------------------------------------------------------------------------- */
export async function handleDuePasswordResetRequests(payload: Payload, options: { now?: number; limit?: number } = {}): Promise<number> {
  const { db } = await emailServicesFor(payload)
  const collection = await requestsIn(db)
  // Oldest first: a backlog (a replica died holding many) never leaves an old request behind newer ones.
  const due = await collection.find({ dueAt: { $lte: new Date(options.now ?? Date.now()) } }).sort({ dueAt: 1 }).limit(options.limit ?? 50).toArray()
  for (const request of due) await handleOnce(payload, request, options.now)
  if (due.length > 0) payload.logger.info({ event: 'auth.forgot_password_backstop', requests: due.length }, 'handled forgot-password requests left by another process')
  return due.length
}

/* ------------------------------------------------------------------------------------------------------------
 * Handling one request.
 * ---------------------------------------------------------------------------------------------------------- */
async function handleOnce(payload: Payload, request: PasswordResetRequest, now = Date.now()): Promise<void> {
  try {
    const { db, claims, dispatcher } = await emailServicesFor(payload)
    const collection = await requestsIn(db)
    const attempt = await claimNextAttempt(claims, request, dispatcher.owner, now)
    if (attempt === 'busy') return
    if (attempt === 'exhausted') {
      payload.logger.error({ event: 'auth.forgot_password_abandoned', collection: request.collection, attempts: MAX_ATTEMPTS }, 'a forgot-password request failed every attempt; dropped')
      await retryBusy(() => collection.deleteOne({ _id: request._id }))
      return
    }
    await sendResetLinkIfAccount(payload, request)
    await retryBusy(() => collection.deleteOne({ _id: request._id }))
  } catch (error) {
    // The claim stays: after its lease a later batch or tick takes the next attempt.
    payload.logger.error({ event: 'auth.forgot_password_failed', collection: request.collection, err: error }, 'forgot-password failed; a dispatcher tick retries')
  }
}

async function claimNextAttempt(claims: SendClaims, request: PasswordResetRequest, owner: string, now: number): Promise<number | 'busy' | 'exhausted'> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (await claims.tryClaim(claimKey(request), attempt, owner, new Date(now))) return attempt
    const existing = await claims.get(claimKey(request), attempt)
    // Someone holds this attempt and may still be at it: leave the request to them.
    if (existing && existing.createdAt.getTime() > now - CLAIM_LEASE_MS) return 'busy'
  }
  return 'exhausted'
}

/**
 * Payload's own operation: finds the account; only if there is one, stores a reset token and hands the mail to
 * the outbox (src/email/outboxAdapter.ts), which sends it in the background. Nothing happens for an unknown
 * address. Its hooks still see the client's IP (the audit line of a sent link).
 */
async function sendResetLinkIfAccount(payload: Payload, request: PasswordResetRequest): Promise<void> {
  const headers = new Headers()
  if (request.ip) headers.set(CLIENT_IP_HEADER, request.ip)
  await payload.forgotPassword({
    collection: request.collection,
    data: { email: request.email },
    req: { headers } as Partial<PayloadRequest>,
  })
}
