import type { Server } from 'node:http'

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
 * connections are closed, then `onDrained` releases the database.
 */
export function createGracefulShutdown({ server, timeoutMs, onDrained, log }: Options): Drainable {
  let draining = false
  let finished: Promise<void> | undefined

  const shutdown = (reason: string): Promise<void> => {
    if (finished) return finished
    draining = true
    log('shutdown.start', { reason, timeoutMs })
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
