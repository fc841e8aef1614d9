import { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'

import type { Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { handleEndpoints, type SanitizedConfig } from 'payload'

import { sendError } from '../http/errors'
import { answerIfStorageUnavailable } from './answerStorageUnavailable'
import { serverURL } from './env'
import { logger } from './logger'
import { carriesCredentials, signInCouldNotBeChecked } from './signInUnchecked'

/**
 * Answers one request with Payload's own REST handling (`handleEndpoints`: the same auth strategies, CSRF and
 * CORS checks, endpoints, hooks and error format as `/api/*` under Next), called straight from Express. Used
 * for the hottest requests, where Next's routing layer is a noticeable share of their cost: the booking and the
 * collection reads (GET /api/<collection>[/:id]).
 *
 * The URL is built on SERVER_URL, not on the Host header, like every link Payload makes.
 */
export async function answerWithPayloadRest(config: Promise<SanitizedConfig> | SanitizedConfig, req: ExpressRequest, res: ExpressResponse): Promise<void> {
  const url = new URL(req.originalUrl, serverURL())
  const headers = new Headers()
  // From req.headers, not rawHeaders: the security middleware rewrote the client-IP header there.
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const request = new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch Request needs this for a streamed body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit)
  let response: Response
  try {
    response = await handleEndpoints({ config, path: url.pathname, request })
  } catch (error) {
    if (answerIfStorageUnavailable(res, error)) return
    logger.error({ event: 'rest.failed', err: error, method: req.method, path: url.pathname }, 'REST request failed')
    sendError(res, 500, undefined, 'Something went wrong.')
    return
  }
  const storageFailure = signInCouldNotBeChecked({ method: req.method, hasCredentials: carriesCredentials(headers) }, response.status)
  if (storageFailure !== undefined) {
    await response.body?.cancel()
    answerIfStorageUnavailable(res, storageFailure, { refused: response.status })
    return
  }
  res.status(response.status)
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length) res.setHeader('set-cookie', cookies)
  const body = Buffer.from(await response.arrayBuffer())
  // Next gzips what it answers; so do we, past the size where it pays (a tutor or a booking is mostly below it).
  if (body.length < GZIP_FROM_BYTES || response.headers.has('content-encoding')) {
    res.end(body)
    return
  }
  res.vary('Accept-Encoding')
  if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') {
    res.end(body)
    return
  }
  res.setHeader('content-encoding', 'gzip')
  res.removeHeader('content-length')
  res.end(await gzipped(body))
}

const GZIP_FROM_BYTES = 1024
const gzipped = promisify(gzip)
