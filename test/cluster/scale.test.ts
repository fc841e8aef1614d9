import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import type { Cluster } from '../../scripts/cluster/startCluster'
import { testPayload } from '../helpers/api'
import { bookingWorkload, checkBookingIntegrity, counterDelta, sleep, startTestCluster, statsByName } from '../helpers/clusterProof'
import { formatSummary, summarize } from '../helpers/load'

/**
 * Scaling at run time, HAProxy never restarted and retries OFF: 3 → 5 replicas (processes started, then added
 * through the runtime API), then 5 → 2 (drained in the balancer, SIGTERM, deleted), all under mixed load.
 */
let payload: Payload
let cluster: Cluster

beforeAll(async () => {
  payload = await testPayload()
  cluster = await startTestCluster({ replicas: 3, retries: false })
}, 180_000)

afterAll(async () => {
  await cluster?.stop()
}, 60_000)

describe('scaling', () => {
  it('3 → 5 → 2 replicas under mixed load fails no request', async () => {
    const workload = await bookingWorkload(payload, { pairs: 10, label: 'scale', baseDaysAhead: 80 })
    const haproxyPid = cluster.haproxy.pid
    const load = workload.startMixedLoad(cluster.url, { readers: 8, bookers: 4 })
    await sleep(3_000)

    const t0 = Date.now()
    await Promise.all([cluster.addReplica(), cluster.addReplica()])
    const scaledUp = Date.now() - t0
    const atFive = await statsByName(cluster)
    await sleep(5_000)
    const fiveLater = await statsByName(cluster)
    const servedAtFive = counterDelta(atFive, fiveLater, 'stot')

    const t1 = Date.now()
    const victims = cluster.replicas.slice(0, 3).map((replica) => replica.name)
    await Promise.all(victims.map((name) => cluster.drainAndRemoveReplica(name)))
    const scaledDown = Date.now() - t1
    const atTwo = await statsByName(cluster)
    await sleep(4_000)
    const results = await load.stop()
    const servedAtTwo = counterDelta(atTwo, await statsByName(cluster), 'stot')
    const summary = summarize(results)
    const integrity = await checkBookingIntegrity(payload, workload)
    const created = results.filter((result) => result.method === 'POST' && result.status === 201).length

    console.log(
      `scale 3 → 5 in ${scaledUp} ms, 5 → 2 (removed ${victims.join(', ')}) in ${scaledDown} ms, retries off, HAProxy pid unchanged: ${cluster.haproxy.pid === haproxyPid}\n` +
        `${formatSummary(summary)}\nserved with 5 replicas ${JSON.stringify(servedAtFive)}, with 2 ${JSON.stringify(servedAtTwo)}\n` +
        `database: ${integrity.active} active appointments for ${created} created, incomplete ${integrity.incomplete.length}, ` +
        `missing claims ${integrity.missingClaims.length}, stray claims ${integrity.strayClaims.length}, overlaps ${integrity.overlaps.length}`,
    )
    expect(summary.failures.map((failure) => `${failure.method} ${failure.path} ${failure.status || failure.error}`)).toEqual([])
    expect(Object.keys(servedAtFive)).toHaveLength(5)
    for (const n of Object.values(servedAtFive)) expect(n).toBeGreaterThan(0)
    expect(Object.keys(servedAtTwo)).toHaveLength(2)
    expect(cluster.replicas).toHaveLength(2)
    expect(integrity.active).toBe(created)
    expect(integrity).toMatchObject({ incomplete: [], missingClaims: [], strayClaims: [], overlaps: [] })
  }, 240_000)
})
