import net from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 that can cut a client off from its server, e.g. one app replica from the database.
 * pause(): every open connection is destroyed and new ones are accepted and closed at once, so the client sees
 * resets/EOF (a network partition or a dead database). resume(): connections are piped through again.
 */
export type TcpProxy = {
  port: number
  readonly paused: boolean
  /** Connections accepted (and refused while paused) so far; errors of the listener or of upstream connections. */
  readonly stats: { accepted: number; refused: number; open: number; upstreamErrors: number; lastError?: string }
  pause: () => void
  resume: () => void
  close: () => Promise<void>
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let paused = false
  const open = new Set<net.Socket>()
  const stats: TcpProxy['stats'] = { accepted: 0, refused: 0, open: 0, upstreamErrors: 0 }

  const server = net.createServer((client) => {
    if (paused) {
      stats.refused++
      client.destroy()
      return
    }
    stats.accepted++
    const upstream = net.connect(target.port, target.host)
    open.add(client)
    open.add(upstream)
    stats.open = open.size / 2
    const teardown = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
      stats.open = open.size / 2
    }
    client.on('error', teardown)
    upstream.on('error', (error) => {
      stats.upstreamErrors++
      stats.lastError = error.message
      teardown()
    })
    client.on('close', teardown)
    upstream.on('close', teardown)
    client.pipe(upstream)
    upstream.pipe(client)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  server.on('error', (error) => (stats.lastError = `listener: ${error.message}`))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  return {
    port,
    get paused() {
      return paused
    },
    stats,
    pause: () => {
      paused = true
      for (const socket of open) socket.destroy()
      open.clear()
      stats.open = 0
    },
    resume: () => {
      paused = false
    },
    close: async () => {
      for (const socket of open) socket.destroy()
      open.clear()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The same mongodb:// URI with its host:port replaced by the proxy's. */
export function uriThroughProxy(uri: string, proxy: { port: number }): string {
  const url = new URL(uri)
  url.hostname = '127.0.0.1'
  url.port = String(proxy.port)
  return url.toString()
}

export function targetOf(uri: string): { host: string; port: number } {
  const url = new URL(uri)
  return { host: url.hostname, port: Number(url.port || 27017) }
}
