import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'

import { describe, expect, it } from '@jest/globals'

import { createGracefulShutdown } from '../../../src/lib/gracefulShutdown'

/** An upgraded connection held open by the client, as a browser tab holds `next dev`'s hot-reload socket. */
async function openUpgradedConnection(port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const request = http.request({ port, host: '127.0.0.1', path: '/_next/hmr', headers: { Connection: 'Upgrade', Upgrade: 'websocket' } })
    request.once('upgrade', (_response, socket) => resolve(socket))
    request.once('error', reject)
    request.end()
  })
}

describe('graceful shutdown', () => {
  it('closes upgraded connections at once instead of waiting for them forever', async () => {
    const server = http.createServer((_request, response) => response.end('ok'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const events: string[] = []
    const lifecycle = createGracefulShutdown({ server, timeoutMs: 10_000, onDrained: async () => undefined, log: (event) => events.push(event) })
    // As Next does on its first request: an 'upgrade' listener that answers and keeps the socket.
    await fetch(`http://127.0.0.1:${port}/`).then((response) => response.text())
    server.on('upgrade', (_request, socket: Duplex) => socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'))
    const client = await openUpgradedConnection(port)
    const clientClosed = new Promise((resolve) => client.once('close', resolve))

    const started = Date.now()
    await lifecycle.shutdown('SIGTERM')
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(events).toEqual(['shutdown.start', 'shutdown.done'])
    await clientClosed
  })
})
