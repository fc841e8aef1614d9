import type { Db } from 'mongodb'
import type { Endpoint, PayloadHandler, PayloadRequest } from 'payload'

import { mongoDb } from '../storage/db'
import { clientIpFromHeaders } from './clientIp'
import { rateLimiterFor, subjectHash, type RateLimiter, type RateLimitOutcome } from './rateLimiter'

export type JsonObject = Record<string, unknown>

/** Payload's error shape, `{ errors: [{ message, data: { code } }] }`, with a stable code. */
export function errorJson(status: number, code: string, message: string, headers?: HeadersInit): Response {
  return Response.json({ errors: [{ message, data: { code } }] }, { status, headers })
}

/** 429 with Retry-After; the same answer whether or not the account exists. */
export function tooManyRequests(outcome: Extract<RateLimitOutcome, { allowed: false }>): Response {
  const minutes = Math.ceil(outcome.retryAfterSeconds / 60)
  const wait = outcome.retryAfterSeconds < 90 ? `${outcome.retryAfterSeconds} seconds` : `${minutes} minutes`
  return Response.json(
    { errors: [{ message: `Too many attempts. Try again in ${wait}.`, data: { code: 'RATE_LIMITED', retryAfterSeconds: outcome.retryAfterSeconds } }] },
    { status: 429, headers: { 'Retry-After': String(outcome.retryAfterSeconds) } },
  )
}

/**
 * Reads the body of a JSON request, or of the admin panel's multipart form posts (Payload's `Form` sends
 * `multipart/form-data` with the fields JSON-encoded in `_payload`), as an object. The bytes are read once and the
 * request is re-armed (`text()`, `json()`, `formData()`, `body`), so Payload's built-in handler, which parses the
 * body again through addDataAndFileToRequest, still gets it. Anything else is a 400 with a reason.
 */
export async function readJsonObject(req: PayloadRequest): Promise<{ ok: true; data: JsonObject } | { ok: false; response: Response }> {
  const contentTypeHeader = req.headers.get('content-type') ?? ''
  const contentType = contentTypeHeader.split(';', 1)[0].trim().toLowerCase()
  const multipart = contentType === 'multipart/form-data'
  if (contentType !== 'application/json' && !multipart) {
    return { ok: false, response: errorJson(400, 'INVALID_REQUEST', 'Send a JSON body with "Content-Type: application/json".') }
  }
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = new Uint8Array(req.arrayBuffer ? await req.arrayBuffer() : new ArrayBuffer(0))
  } catch {
    return { ok: false, response: errorJson(400, 'INVALID_REQUEST', 'The request body could not be read.') }
  }
  const text = new TextDecoder().decode(bytes)
  let data: unknown
  try {
    if (multipart) {
      const form = await new Response(bytes, { headers: { 'content-type': contentTypeHeader } }).formData()
      const encoded = form.get('_payload')
      data = typeof encoded === 'string' ? JSON.parse(encoded) : {}
    } else {
      data = text ? JSON.parse(text) : undefined
    }
  } catch {
    return { ok: false, response: errorJson(400, 'INVALID_REQUEST', multipart ? 'The form data could not be read.' : 'The request body is not valid JSON.') }
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, response: errorJson(400, 'INVALID_REQUEST', 'The request body must be a JSON object.') }
  }
  const rearmed = req as unknown as Record<string, unknown>
  rearmed.text = () => Promise.resolve(text)
  rearmed.json = () => Promise.resolve(JSON.parse(text))
  rearmed.arrayBuffer = () => Promise.resolve(bytes.slice().buffer)
  rearmed.formData = () => new Response(bytes, { headers: { 'content-type': contentTypeHeader } }).formData()
  Object.defineProperty(req, 'body', { configurable: true, get: () => new Response(bytes).body })
  rearmed.data = data
  return { ok: true, data: data as JsonObject }
}

/** The handler Payload would have used for this method + path (ours takes precedence in the endpoint list). */
export function builtInHandler(req: PayloadRequest, slug: 'students' | 'users', ours: Endpoint): PayloadHandler {
  const endpoints = req.payload.collections[slug].config.endpoints || []
  const found = endpoints.find((endpoint) => endpoint.handler !== ours.handler && endpoint.method === ours.method && endpoint.path === ours.path)
  if (!found) throw new Error(`Payload's built-in ${ours.method.toUpperCase()} ${ours.path} endpoint for ${slug} not found`)
  return found.handler
}

export const normalizeEmail = (value: unknown): string | null => {
  if (typeof value !== 'string') return null
  const email = value.trim().toLowerCase()
  return email.length > 0 && email.length <= 320 ? email : null
}

export type SecurityContext = { db: Db; limiter: RateLimiter; ip: string | null }

export function securityContext(req: PayloadRequest): SecurityContext {
  const db = mongoDb(req.payload)
  return { db, limiter: rateLimiterFor(db), ip: clientIpFromHeaders(req.headers) }
}

/** An error Payload's route handler will format (ValidationError, APIError…), matched by name, not instanceof. */
export const errorName = (error: unknown): string | undefined => (error as { name?: string } | null)?.name

export const errorStatus = (error: unknown): number | undefined => (error as { status?: number } | null)?.status

/** Audit fields that identify an attempted account without writing what was typed into the logs. */
export const emailFingerprint = (email: string | null): string | undefined => (email ? subjectHash(`email:${email}`) : undefined)
