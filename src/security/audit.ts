import type { Payload, PayloadRequest } from 'payload'

import { clientIpFromHeaders } from './clientIp'

/**
 * Security audit events: one structured log line each (pino, through Payload's logger inside Payload), with an
 * `event` name, who (collection + user id, or a fingerprint of the attempted email), from where (client IP) and
 * what. Never passwords, tokens, cookies or Authorization headers: callers pass only the fields below.
 */
export type AuditFields = {
  collection?: string
  userId?: string | number
  /** Hash of an attempted email that matched no account (never the raw input: people type passwords there). */
  emailFingerprint?: string
  ip?: string | null
  outcome?: string
  rule?: string
  retryAfterSeconds?: number
  [key: string]: unknown
}

export function audit(payload: Payload, event: string, fields: AuditFields, level: 'info' | 'warn' = 'info'): void {
  payload.logger[level]({ audit: true, event, ...fields, at: new Date().toISOString() }, event)
}

export const requestIp = (req: PayloadRequest): string | null => clientIpFromHeaders(req.headers)
