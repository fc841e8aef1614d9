import { createRequire } from 'node:module'

import { MongoNetworkError } from 'mongodb'

type DriverConnection = {
  id: string | number
  address: string
  closed: boolean
  socket: NodeJS.EventEmitter & { destroyed: boolean }
}
type WriteCommand = (this: DriverConnection, ...args: unknown[]) => Promise<unknown>

const GUARDED = Symbol.for('tutortrack.mongoWriteGuard')

/** Works around a MongoDB driver bug that leaves a replica "database unavailable" for good (docs/storage.md, "Driver write guard"). */
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
