import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'

import { startAppServer, type AppServer } from '../helpers/appServer'
import { startTcpProxy, targetOf, uriThroughProxy, type TcpProxy } from '../helpers/tcpProxy'

/**
 * A replica must come back by itself when its database does. The server reaches the test database through a TCP
 * proxy; each round resets every connection (and refuses new ones) while requests keep arriving, then lets them
 * through again. Without src/storage/driverWriteGuard.ts the driver's monitor hung for good in about one round
 * in four here (a heartbeat written into a socket in the instant between its reset and its 'close' event), and
 * /readyz stayed 503 until a restart.
 */
const ROUNDS = 8
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let proxy: TcpProxy
let server: AppServer

const readyzStatus = async (): Promise<number> => {
  try {
    const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5_000) })
    await response.arrayBuffer()
    return response.status
  } catch {
    return 0
  }
}

async function waitForReadyz(status: number, withinMs: number): Promise<number | undefined> {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    if ((await readyzStatus()) === status) return Date.now() - started
    await sleep(100)
  }
  return undefined
}

beforeAll(async () => {
  proxy = await startTcpProxy(targetOf(process.env.DATABASE_URI!))
  server = await startAppServer({ DATABASE_URI: uriThroughProxy(process.env.DATABASE_URI!, proxy) })
}, 120_000)

afterAll(async () => {
  if (server?.process.exitCode === null) await server.stop()
  await proxy?.close()
})

describe('database connection recovery', () => {
  it(`a replica whose database connections are reset ${ROUNDS} times becomes ready again each time the database answers`, async () => {
    let stopLoad = false
    // Traffic through the cut keeps the driver writing on connections as they are reset.
    const load = Array.from({ length: 6 }, async () => {
      while (!stopLoad) {
        await fetch(`${server.url}/api/tutors?limit=1&depth=0`, { signal: AbortSignal.timeout(10_000) })
          .then((response) => response.arrayBuffer())
          .catch(() => undefined)
        await sleep(25)
      }
    })
    const recoveries: Array<number | undefined> = []
    try {
      expect(await waitForReadyz(200, 10_000)).toBeDefined()
      for (let round = 0; round < ROUNDS; round++) {
        proxy.pause()
        expect(await waitForReadyz(503, 10_000)).toBeDefined()
        await sleep(1_000 + round * 250)
        proxy.resume()
        // The driver re-checks an unknown server at least every heartbeat (10 s); well inside 20 s when healthy.
        const back = await waitForReadyz(200, 20_000)
        recoveries.push(back)
        if (back === undefined) break
        await sleep(500)
      }
    } finally {
      proxy.resume()
      stopLoad = true
      await Promise.all(load)
    }
    console.log(`database reconnect: /readyz 200 again after ${recoveries.map((ms) => (ms === undefined ? 'never' : `${ms} ms`)).join(', ')}`)
    expect(recoveries).toHaveLength(ROUNDS)
    for (const ms of recoveries) expect(ms).toBeDefined()
  }, 300_000)
})
