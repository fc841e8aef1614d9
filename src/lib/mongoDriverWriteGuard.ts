import { createRequire } from 'node:module'

import { MongoNetworkError } from 'mongodb'

/**
 * Works around a MongoDB Node.js driver bug (seen in 6.20.0, code unchanged up to 7.9.0): when the database end of
 * a connection resets and the driver writes a command in the instant between the socket being destroyed and its
 * 'close' event, `socket.write()` returns false and the driver waits for a 'drain' that never comes. If that
 * connection is the server monitor's, no heartbeat ever runs again: the replica stays "database unavailable"
 * (every operation fails server selection) after the database is back, until the process restarts. The health
 * proof (test/cluster/health.test.ts) hit this in about one run of three, and test/integration/databaseReconnect
 * reproduces it directly.
 *
 * The guard makes such a write fail like any other network error (the monitor then records a failed heartbeat and
 * carries on, an operation's retry logic takes over) by refusing writes on a destroyed socket and by ending the
 * wait for 'drain' when the socket closes. It wraps the driver's own method, so a driver without the bug is
 * unaffected; if the internal method is gone (a driver rewrite), the guard logs nothing and does nothing.
 */
type DriverConnection = {
  id: string | number
  address: string
  closed: boolean
  socket: NodeJS.EventEmitter & { destroyed: boolean }
}
type WriteCommand = (this: DriverConnection, ...args: unknown[]) => Promise<unknown>

const GUARDED = Symbol.for('tutortrack.mongoWriteGuard')

export function installMongoDriverWriteGuard(): boolean {
  const nodeRequire = createRequire(import.meta.url)
  let prototype: { writeCommand?: WriteCommand; [GUARDED]?: true } | undefined
  try {
    prototype = (nodeRequire('mongodb/lib/cmap/connection.js') as { Connection?: { prototype: typeof prototype } }).Connection?.prototype
  } catch {
    return false
  }
  const original = prototype?.writeCommand
  if (!prototype || typeof original !== 'function') return false
  if (prototype[GUARDED]) return true

  prototype.writeCommand = function guardedWriteCommand(this: DriverConnection, ...args: unknown[]) {
    const closedError = () => new MongoNetworkError(`connection ${this.id} to ${this.address} closed`)
    if (this.closed || this.socket.destroyed) return Promise.reject(closedError())
    return new Promise((resolve, reject) => {
      const onClose = () => reject(closedError())
      this.socket.once('close', onClose)
      original.apply(this, args).then(resolve, reject).finally(() => this.socket.off('close', onClose))
    })
  }
  prototype[GUARDED] = true
  return true
}
