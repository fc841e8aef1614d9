import type { Db } from 'mongodb'
import type { PayloadRequest } from 'payload'

import { errorResponse } from '../http/errors'
import { englishAccountText } from '../i18n/accountText'
import { mongoDb } from '../storage/db'
import { clientIpFromHeaders } from './clientIp'
import { rateLimiterFor, subjectHash, type RateLimiter, type RateLimitOutcome } from './rateLimiter'

/** 429 with Retry-After; the same answer whether or not the account exists (student endpoints translate it). */
export function tooManyRequests(outcome: Extract<RateLimitOutcome, { allowed: false }>): Response {
  const minutes = Math.ceil(outcome.retryAfterSeconds / 60)
  const message = outcome.retryAfterSeconds < 90 ? englishAccountText('tooManySeconds', { seconds: String(outcome.retryAfterSeconds) }) : englishAccountText('tooManyMinutes', { minutes: String(minutes) })
  return errorResponse(429, 'RATE_LIMITED', message, {
    extra: { retryAfterSeconds: outcome.retryAfterSeconds },
    headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
  })
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
