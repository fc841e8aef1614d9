import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import type { Cluster } from '../../scripts/cluster/startCluster'
import { testPayload } from '../helpers/api'
import { bookingWorkload, checkBookingIntegrity, counterDelta, sleep, startTestCluster, statsByName } from '../helpers/clusterProof'
import { formatSummary, summarize } from '../helpers/load'

/**
 * Rolling restart with HAProxy retries OFF: each replica is drained in the balancer (drain, wait for its
 * in-flight requests, maint), sent SIGTERM, started again and put back before the next one. Because nothing is
 * ever sent to a replica that is shutting down, no request may fail even without retries. This is what a
 * Kubernetes rollout does with endpoint removal + preStop before SIGTERM.
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

describe('rolling restart', () => {
  it('restarting every replica one by one under mixed load fails no request', async () => {
    const workload = await bookingWorkload(payload, { pairs: 10, label: 'rolling', baseDaysAhead: 40 })
    const names = cluster.replicas.map((replica) => replica.name)
    const pids = cluster.replicas.map((replica) => replica.pid)
    const before = await statsByName(cluster)
    const load = workload.startMixedLoad(cluster.url, { readers: 8, bookers: 4 })
    await sleep(3_000)
    const steps: string[] = []
    for (const name of names) {
      const started = Date.now()
      await cluster.restartReplica(name)
      steps.push(`${name} ${Date.now() - started} ms`)
      await sleep(1_000)
    }
    await sleep(2_000)
    const results = await load.stop()
    const after = await statsByName(cluster)
    const summary = summarize(results)
    const integrity = await checkBookingIntegrity(payload, workload)
    const created = results.filter((result) => result.method === 'POST' && result.status === 201).length

    console.log(
      `rolling restart (retries off): ${steps.join(', ')}\n${formatSummary(summary)}\n` +
        `per replica served ${JSON.stringify(counterDelta(before, after, 'stot'))}, 5xx ${JSON.stringify(counterDelta(before, after, 'hrsp5xx'))}\n` +
        `database: ${integrity.active} active appointments for ${created} created, incomplete ${integrity.incomplete.length}, ` +
        `missing claims ${integrity.missingClaims.length}, stray claims ${integrity.strayClaims.length}, overlaps ${integrity.overlaps.length}`,
    )
    expect(summary.failures.map((failure) => `${failure.method} ${failure.path} ${failure.status || failure.error}`)).toEqual([])
    expect(cluster.replicas.map((replica) => replica.pid).filter((pid) => pids.includes(pid))).toEqual([])
    expect(integrity.active).toBe(created)
    expect(integrity).toMatchObject({ incomplete: [], missingClaims: [], strayClaims: [], overlaps: [] })
  }, 240_000)
})
