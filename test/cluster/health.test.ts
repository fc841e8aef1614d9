import { spawnSync } from 'node:child_process'
import fs from 'node:fs'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'

import type { Cluster, ReplicaInfo } from '../../scripts/cluster/startCluster'
import { startLocalDatabase, type LocalDatabase } from '../../scripts/local-db'
import { counterDelta, sleep, startTestCluster, statsByName, waitUntil } from '../helpers/clusterProof'
import { formatSummary, startLoad, summarize } from '../helpers/load'
import { startTcpProxy, targetOf, uriThroughProxy, type TcpProxy } from '../helpers/tcpProxy'

/**
 * Active health checks: one of three replicas reaches their shared database through a TCP proxy. Cutting that proxy makes
 * the replica's /readyz answer 503; HAProxy takes it out of rotation while the others keep serving, and puts it
 * back once the database answers again.
 */
let cluster: Cluster
let proxy: TcpProxy
let cut: ReplicaInfo
let database: LocalDatabase

let lastReadyz = ''
const readyz = async (replica: ReplicaInfo) => {
  try {
    const response = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(5_000) })
    lastReadyz = `${response.status} ${await response.text()}`
    return response.status
  } catch (error) {
    lastReadyz = String((error as { cause?: unknown }).cause ?? error)
    return 0
  }
}
/** Adds what the cut replica said last, and the errors it logged, to a failure. */
const explain = async <T>(step: Promise<T>): Promise<T> =>
  step.catch((error: unknown) => {
    const logged = new Map<string, number>()
    for (const match of cluster.replicaOutput(cut.name).matchAll(/"type":"(\w+)","message":"([^"]{0,160})/g)) {
      logged.set(`${match[1]}: ${match[2]}`, (logged.get(`${match[1]}: ${match[2]}`) ?? 0) + 1)
    }
    const openFds = fs.readdirSync('/proc/self/fd').length
    const sockets = spawnSync('ss', ['-tanp'], { encoding: 'utf8' })
      .stdout?.split('\n')
      .filter((line) => line.includes(`:${proxy.port} `))
      .join('\n')
    throw new Error(
      `${String(error)}\nlast /readyz: ${lastReadyz}; proxy ${JSON.stringify(proxy.stats)}; open fds in this process ${openFds}\n` +
        `${cut.name} logged: ${JSON.stringify([...logged])}\nsockets on the proxy port:\n${sockets}`,
    )
  })
const statusOf = async (name: string) => (await statsByName(cluster)).get(name)?.status

beforeAll(async () => {
  // A database of its own: the proof is about one replica losing it, not about what earlier files left in the shared one.
  database = await startLocalDatabase({ fresh: true, ignoreEnvironment: true, dbName: 'tutortrack_health', log: () => {} })
  proxy = await startTcpProxy(targetOf(database.uri))
  cluster = await startTestCluster({ replicas: 2, retries: true, databaseUri: database.uri })
  cut = await cluster.addReplica({ env: { DATABASE_URI: uriThroughProxy(database.uri, proxy) } })
}, 180_000)

afterAll(async () => {
  await cluster?.stop()
  await proxy?.close()
  await database?.stop()
}, 60_000)

describe('health checks', () => {
  it('a replica whose database is unreachable leaves rotation and comes back when it is reachable again', async () => {
    const load = startLoad({
      baseUrl: cluster.url,
      // Open loop: new requests keep arriving while some hang on the cut replica, as real traffic does.
      ratePerSecond: 40,
      concurrency: 400,
      durationMs: 120_000,
      next: () => ({ kind: 'GET /api/tutors?limit=1', method: 'GET', path: '/api/tutors?limit=1&depth=0' }),
    })
    try {
      await sleep(2_000)
      expect(await statusOf(cut.name)).toBe('UP')

      proxy.pause()
      const pausedAt = Date.now()
      const to503 = await explain(waitUntil(async () => (await readyz(cut)) === 503, 15_000, '/readyz of the cut replica to turn 503'))
      const toDown = (await waitUntil(async () => (await statusOf(cut.name)) === 'DOWN', 15_000, 'HAProxy to mark the cut replica DOWN')) + to503
      const whileDownBefore = await statsByName(cluster)
      await sleep(4_000)
      const whileDownAfter = await statsByName(cluster)
      const servedWhileDown = counterDelta(whileDownBefore, whileDownAfter, 'stot')
      expect(await readyz(cut)).toBe(503)

      proxy.resume()
      const resumedAt = Date.now()
      const to200 = await explain(waitUntil(async () => (await readyz(cut)) === 200, 60_000, '/readyz of the replica to turn 200 again'))
      const toUp = (await waitUntil(async () => (await statusOf(cut.name)) === 'UP', 15_000, 'HAProxy to mark the replica UP again')) + to200
      const backBefore = await statsByName(cluster)
      await sleep(3_000)
      const results = await load.stop()
      const backAfter = await statsByName(cluster)
      const servedAfterReturn = counterDelta(backBefore, backAfter, 'stot')
      const summary = summarize(results)
      expect(load.skipped).toBe(0)
      const slowDuringCut = results.filter((result) => result.startedAt >= pausedAt - 1_000 && result.ms > 2_000).length

      console.log(
        `health: cut replica ${cut.name}: /readyz 503 after ${to503} ms, HAProxy DOWN after ${toDown} ms (pause ${Date.now() - pausedAt} ms total); ` +
          `requests per replica while DOWN ${JSON.stringify(servedWhileDown)}; after resume /readyz 200 after ${to200} ms, UP after ${toUp} ms ` +
          `(resumed ${resumedAt - pausedAt} ms after the cut); requests per replica once back ${JSON.stringify(servedAfterReturn)}; ` +
          `requests slower than 2 s around the cut: ${slowDuringCut}\n${formatSummary(summary)}`,
      )
      expect(summary.failed).toBe(0)
      expect(servedWhileDown[cut.name]).toBe(0)
      for (const [name, n] of Object.entries(servedWhileDown)) if (name !== cut.name) expect(n).toBeGreaterThan(0)
      expect(servedAfterReturn[cut.name]).toBeGreaterThan(0)
    } finally {
      proxy.resume()
      await load.stop()
    }
  }, 180_000)
})
