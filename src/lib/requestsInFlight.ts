/**
 * How many HTTP requests this process is answering right now, so background work (a booking's mail) can give
 * way to them. Counted by the Express server (src/server.ts); scripts without a server always read zero.
 */
let inFlight = 0
const idleListeners = new Set<() => void>()

export function requestsInFlight(): number {
  return inFlight
}

/** Counts one request until its response closes (sent or aborted). */
export function countRequest(response: { once(event: 'close', listener: () => void): unknown }): void {
  inFlight += 1
  response.once('close', () => {
    inFlight -= 1
    if (inFlight === 0) for (const listener of idleListeners) listener()
  })
}

/** Calls `listener` each time the last request in flight is answered. */
export function onRequestsIdle(listener: () => void): void {
  idleListeners.add(listener)
}
