import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'

export type Drainable = {
  /** True from the moment shutdown starts; /readyz reports 503 from then on. */
  readonly draining: boolean
  shutdown: (reason: string) => Promise<void>
}

type Options = {
  server: Server
  timeoutMs: number
  onDrained: () => Promise<void>
  log: (event: string, details?: Record<string, unknown>) => void
}

/**
 * Stops a server the way a load balancer expects: readiness turns false at once, the listener closes
 * (new connections are refused), in-flight requests finish up to `timeoutMs`, idle keep-alive
 * connections are closed, then `onDrained` releases the database. Upgraded connections (`next dev`'s hot-reload
 * socket of an open browser tab) are closed at once: they carry no request to finish, and the server would
 * otherwise wait for them forever (closeAllConnections does not reach them).
 */
export function createGracefulShutdown({ server, timeoutMs, onDrained, log }: Options): Drainable {
  let draining = false
  let finished: Promise<void> | undefined
  const upgraded = trackUpgradedSockets(server)

  const shutdown = (reason: string): Promise<void> => {
    if (finished) return finished
    draining = true
    log('shutdown.start', { reason, timeoutMs })
    for (const socket of upgraded) socket.destroy()
    finished = new Promise<void>((resolve) => {
      const reapIdle = setInterval(() => server.closeIdleConnections(), 100)
      const forceClose = setTimeout(() => {
        log('shutdown.timeout', { timeoutMs })
        server.closeAllConnections()
      }, timeoutMs)
      server.close(() => {
        clearInterval(reapIdle)
        clearTimeout(forceClose)
        onDrained()
          .catch((error: unknown) => log('shutdown.release_failed', { error: String(error) }))
          .finally(() => {
            log('shutdown.done')
            resolve()
          })
      })
      server.closeIdleConnections()
    })
    return finished
  }

  return {
    get draining() {
      return draining
    },
    shutdown,
  }
}

/**
 * The sockets handed to an 'upgrade' listener. Tracked only once someone else handles upgrades (Next adds its
 * listener on the first request): a listener of ours alone would leave upgrade requests unanswered.
 */
function trackUpgradedSockets(server: Server): Set<Duplex> {
  const sockets = new Set<Duplex>()
  const track = (_request: unknown, socket: Duplex) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  const startTracking = (event: string | symbol) => {
    if (event !== 'upgrade') return
    server.off('newListener', startTracking)
    // After the listener being added: `newListener` fires before it is in place.
    queueMicrotask(() => server.on('upgrade', track))
  }
  if (server.listenerCount('upgrade') > 0) server.on('upgrade', track)
  else server.on('newListener', startTracking)
  return sockets
}
