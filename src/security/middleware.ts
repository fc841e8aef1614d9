import { randomBytes } from 'node:crypto'

import type { Express, NextFunction, Request, Response } from 'express'
import helmet from 'helmet'

import { sendError } from '../http/errors'
import { isProduction, serverURL } from '../lib/env'
import { CLIENT_IP_HEADER, clientIpFrom, trustedRanges } from './clientIp'
import { hstsMaxAgeSeconds, maxBodyBytes } from './config'
import { pathProblem, queryProblem } from './queryGuard'

/**
 * Everything src/server.ts puts in front of Next and Payload, in this order:
 *  1. the client IP (socket peer, or the first untrusted X-Forwarded-For hop when the peer is a trusted proxy),
 *     written into `x-tutortrack-client-ip` after deleting whatever the client sent under that name;
 *  2. a request body cap (MAX_BODY_BYTES, default 1 MiB): 413 above it, 411 for a body without Content-Length
 *     (Next and Payload read the raw body themselves, so the length is checked up front);
 *  3. a query-string check for the REST API (src/security/queryGuard.ts): `$` operators and shapes Payload
 *     would answer with a 500 get a 400 with a reason;
 *  4. security headers (helmet): a strict, nonce-based CSP for the booking site and API (Next puts the nonce on
 *     its own scripts when the request carries it), a looser one scoped to the Payload admin panel (/admin, whose
 *     Next/React UI needs inline scripts and styles; its images, like the site's, come from no third-party host),
 *     frame-ancestors 'none' + X-Frame-Options DENY, X-Content-Type-Options nosniff, Referrer-Policy no-referrer
 *     (reset links carry tokens), HSTS in production.
 */
export function applySecurityMiddleware(app: Express): void {
  trustedRanges() // fail at start, not on the first request, when TRUSTED_PROXIES is malformed

  app.use((req: Request, res: Response, next: NextFunction) => {
    const ip = clientIpFrom(req.socket.remoteAddress, req.headers['x-forwarded-for'])
    delete req.headers[CLIENT_IP_HEADER]
    req.headers[CLIENT_IP_HEADER] = ip
    res.locals.clientIp = ip
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  })

  app.use(bodySizeLimit())

  // Malformed or `$`-injected query strings on the REST API: 400 with a reason (src/security/queryGuard.ts).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/api/') || req.path === '/api/graphql') return next()
    const queryStart = req.originalUrl.indexOf('?')
    const problem = pathProblem(queryStart === -1 ? req.originalUrl : req.originalUrl.slice(0, queryStart)) ?? (queryStart === -1 ? null : queryProblem(req.originalUrl.slice(queryStart)))
    if (!problem) return next()
    sendError(res, 400, 'INVALID_QUERY', problem)
  })

  const production = isProduction()
  const https = serverURL().startsWith('https://')
  const devScript = production ? [] : ["'unsafe-eval'"]
  const devConnect = production ? [] : ['ws:', 'wss:']
  const common = {
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: https ? [] : null,
  }
  const shared = {
    strictTransportSecurity: production ? { maxAge: hstsMaxAgeSeconds(), includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' as const },
    referrerPolicy: { policy: 'no-referrer' as const },
    crossOriginEmbedderPolicy: false,
  }
  const site = helmet({
    ...shared,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...common,
        // Tutors' photos are links to any https host (Tutors.photoUrl); the page sends no referrer with them.
        imgSrc: [...common.imgSrc, 'https:'],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`, "'strict-dynamic'", ...devScript],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", ...devConnect],
      },
    },
  })
  const admin = helmet({
    ...shared,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...common,
        scriptSrc: ["'self'", "'unsafe-inline'", ...devScript],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", ...devConnect],
      },
    },
  })

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()')
    if (/^\/api\/(students|users)(\/|$)/.test(req.path)) res.setHeader('Cache-Control', 'no-store')
    if (isAdminPath(req.path)) return admin(req, res, next)
    // Next reads the nonce from the request's CSP header and puts it on every script it renders.
    req.headers['content-security-policy'] = `script-src 'nonce-${res.locals.cspNonce}'`
    return site(req, res, next)
  })
}

export const isAdminPath = (path: string): boolean => path === '/admin' || path.startsWith('/admin/') || path.startsWith('/api/graphql-playground')

function bodySizeLimit() {
  return (req: Request, res: Response, next: NextFunction) => {
    const limit = maxBodyBytes()
    const declared = req.headers['content-length']
    if (declared !== undefined) {
      const length = Number(declared)
      if (!/^\d+$/.test(declared) || !Number.isSafeInteger(length)) {
        sendError(res, 400, 'INVALID_REQUEST', 'Content-Length must be a whole number of bytes.')
        return
      }
      if (length > limit) return refuseTooLarge(req, res, limit, length)
      return next()
    }
    if (req.headers['transfer-encoding']) {
      res.setHeader('Connection', 'close')
      sendError(res, 411, 'LENGTH_REQUIRED', `Send a Content-Length header with the request body (at most ${limit} bytes).`)
      return
    }
    next()
  }
}

/** A refused body up to this size is read and dropped first; a bigger one gets its answer and the connection closes at once. */
const DRAIN_BYTES = 8 * 1024 * 1024
const DRAIN_MS = 5_000

function refuseTooLarge(req: Request, res: Response, limit: number, length: number): void {
  res.setHeader('Connection', 'close')
  const answer = () => {
    if (!res.headersSent) sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is too large: at most ${limit} bytes (${Math.round(limit / 1024)} KiB) are accepted.`)
  }
  if (length > DRAIN_BYTES) return answer()
  // Clients send the whole body before they read the answer (browsers' fetch included): closing on an unread
  // body makes theirs fail with a network error instead of this 413 and its reason.
  const timer = setTimeout(answer, DRAIN_MS)
  const done = () => {
    clearTimeout(timer)
    answer()
  }
  req.once('end', done)
  req.once('error', done)
  req.resume()
}
