// First: Node's source maps off in production before Next loads its chunks (memory, #18).
import './lib/nodeSourceMaps'
import type { Server } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import express from 'express'
import next from 'next'
import { getPayload, type Payload } from 'payload'

import config from './payload.config'
import { answerAvailability, serialisedAnswer } from './booking/availability'
import { sendError } from './http/errors'
import { isProduction, port, serverURL, shutdownTimeoutMs } from './lib/env'
import { createGracefulShutdown, type Drainable } from './lib/gracefulShutdown'
import { answerIfStorageUnavailable } from './lib/answerStorageUnavailable'
import { apiIndex } from './lib/apiIndex'
import { logger } from './lib/logger'
import { answerWithPayloadRest } from './lib/payloadRestBesideNext'
import { runInRequestContext } from './lib/requestContext'
import { countRequest } from './lib/requestsInFlight'
import { noteStorageFailuresOf } from './storage/errors'
import { mongoDb, pingDatabase } from './storage/db'
import { installMongoDriverWriteGuard } from './storage/driverWriteGuard'
import { detectStorageFlavor } from './storage/flavor'
import { applySecurityMiddleware } from './security/middleware'
import { loadSheddingMiddleware } from './security/loadShedding'
import { startBackgroundJobs } from './jobs/backgroundJobs'
import { startMaintenanceJobs } from './jobs/maintenance'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DATABASE_PING_TIMEOUT_MS = 2_000

/** No Authorization header and no Payload auth cookie: nobody to look up. */
function isAnonymous(req: express.Request): boolean {
  return req.headers.authorization === undefined && !/(?:^|;\s*)payload-token=/.test(req.headers.cookie ?? '')
}

export type RunningServer = { server: Server; payload: Payload; lifecycle: Drainable }

export async function startServer(): Promise<RunningServer> {
  const dev = !isProduction()
  const listenPort = port()
  // Before the first connection: without it a replica can stay "database unavailable" after the database returns.
  if (!installMongoDriverWriteGuard()) logger.warn({ event: 'database.write_guard_missing' }, 'MongoDB driver write guard not installed (driver internals changed)')
  const nextApp = next({ dev, dir: projectRoot, hostname: '0.0.0.0', port: listenPort })
  const handle = nextApp.getRequestHandler()
  const payload = await getPayload({ config })
  noteStorageFailuresOf(payload.db)
  await detectStorageFlavor(mongoDb(payload))
  await nextApp.prepare()

  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', false)
  // Every log line written while serving a request names it, Payload's included (src/lib/requestContext.ts).
  app.use((req, _res, nextMiddleware) => runInRequestContext({ method: req.method, path: req.path }, nextMiddleware))
  // Client IP (TRUSTED_PROXIES), body-size cap, security headers: before every route (src/security/middleware.ts).
  applySecurityMiddleware(app)
  // Overload: a bounded number of requests in flight and a small wait queue; the excess gets 503 + Retry-After at
  // once, never the probes or static files (src/security/loadShedding.ts). Before countRequest, so the mail that
  // gives way to requests in flight gives way only to admitted ones, not to refusals.
  app.use(loadSheddingMiddleware())

  let lifecycle: Drainable | undefined

  app.use((_req, res, nextMiddleware) => {
    // Background work (a booking's mail) gives way to requests in flight.
    countRequest(res)
    // A draining replica tells keep-alive clients to reconnect elsewhere.
    if (lifecycle?.draining) res.setHeader('Connection', 'close')
    nextMiddleware()
  })

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' })
  })

  app.get('/readyz', async (_req, res) => {
    if (lifecycle?.draining) {
      res.status(503).json({ status: 'draining' })
      return
    }
    if (!(await pingDatabase(payload, DATABASE_PING_TIMEOUT_MS))) {
      res.status(503).json({ status: 'database_unavailable' })
      return
    }
    res.status(200).json({ status: 'ready' })
  })

  // What a newcomer (or a client) finds at the API's root: the main endpoints, GraphQL and the docs.
  app.get('/api', (_req, res) => {
    res.json(apiIndex({ serverUrl: serverURL(), playground: dev }))
  })

  // The hottest public read, answered beside Next (the same answerAvailability as the Payload endpoint) to skip
  // the framework's per-request cost. Anonymous requests only: a signed-in one goes on to Payload's endpoint,
  // which knows who asks (staff also see inactive tutors).
  app.get('/api/tutors/:id/availability', async (req, res, nextRoute) => {
    if (!isAnonymous(req)) return nextRoute()
    try {
      const answer = await answerAvailability(payload, req.params.id, req.query as Record<string, unknown>, { viewer: 'public' })
      const { body, etag } = serialisedAnswer(answer)
      res.status(answer.status).type('json').setHeader('ETag', etag)
      res.send(body)
    } catch (error) {
      if (answerIfStorageUnavailable(res, error, { tutor: req.params.id })) return
      logger.error({ event: 'availability.failed', err: error, tutor: req.params.id }, 'availability failed')
      sendError(res, 500, undefined, 'Something went wrong.')
    }
  })

  // The hottest write: Payload's own REST handling of a booking (auth, CSRF, hooks, errors), without Next's
  // routing layer in front of it.
  app.post('/api/appointments', (req, res) => answerWithPayloadRest(config, req, res))

  // Payload's REST reads of a collection (a document by id, a list, /me) the same way: under Next, its routing and
  // streamed response were ~40 % of a GET /api/tutors/:id's CPU. GET only (HEAD stays with Next, as it was).
  const collectionSlugs = new Set<string>((await config).collections.map((collection) => collection.slug))
  app.get(['/api/:collection', '/api/:collection/:id'], (req, res, nextRoute) => {
    if (req.method !== 'GET' || !collectionSlugs.has(String(req.params.collection))) return nextRoute()
    return answerWithPayloadRest(config, req, res)
  })

  app.all('/{*path}', (req, res) => handle(req, res))

  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(listenPort, () => resolve(listening))
  })
  // Longer than the load balancer's idle timeout, so the balancer (not us) closes idle connections.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000

  // Scheduled work runs on every replica; each piece of it is claimed in the database first.
  const emailJobs = startBackgroundJobs(payload)
  const maintenanceJobs = startMaintenanceJobs(payload)

  lifecycle = createGracefulShutdown({
    server,
    timeoutMs: shutdownTimeoutMs(),
    log: (event, details) => logger.info({ event, ...details }, event),
    onDrained: async () => {
      await Promise.all([emailJobs.stop(), maintenanceJobs.stop()])
      await payload.destroy()
      await nextApp.close()
    },
  })

  logger.info({ event: 'server.listening', port: listenPort, url: serverURL(), mode: dev ? 'development' : 'production' }, 'TutorTrack is listening')
  return { server, payload, lifecycle }
}

const isEntryPoint = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)

if (isEntryPoint) {
  startServer()
    .then(({ lifecycle }) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          lifecycle.shutdown(signal).then(() => process.exit(0))
        })
      }
    })
    .catch((error: unknown) => {
      logger.fatal({ event: 'server.start_failed', err: error }, 'TutorTrack failed to start')
      process.exit(1)
    })
}
