import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import type { Cluster } from '../../scripts/cluster/startCluster'
import type { Appointment } from '../../src/payload-types'
import { testPayload } from '../helpers/api'
import { bookingWorkload, checkBookingIntegrity, counterDelta, haproxyLog, sleep, startTestCluster, statsByName } from '../helpers/clusterProof'
import { formatSummary, summarize } from '../helpers/load'

/**
 * kill -9 of one replica under mixed load, HAProxy retries on: GETs in flight on the dead replica are retried on
 * another one. The one exception no proxy can repair is a response the replica had already started sending when it
 * died (HAProxy has forwarded its status line; termination state "SD"): every failed GET must be such a one.
 * A booking in flight there may fail (502 or a closed connection) and is never replayed; whatever it left behind
 * must not be a half-made booking.
 */
let payload: Payload
let cluster: Cluster

beforeAll(async () => {
  payload = await testPayload()
  cluster = await startTestCluster({ replicas: 3, retries: true })
}, 180_000)

afterAll(async () => {
  await cluster?.stop()
}, 60_000)

describe('kill -9 under load', () => {
  it('no GET fails unless cut mid-response, failed bookings are counted, and the database holds no half-made booking', async () => {
    const workload = await bookingWorkload(payload, { pairs: 10, label: 'kill', baseDaysAhead: 3 })
    const victim = cluster.replicas[1].name
    const before = await statsByName(cluster)
    const load = workload.startMixedLoad(cluster.url, { readers: 8, bookers: 4 })
    await sleep(4_000)
    const killedAt = Date.now()
    await cluster.killReplica(victim, 'SIGKILL')
    await cluster.waitForStatus(victim, 'DOWN', 10_000)
    const downAfter = Date.now() - killedAt
    await sleep(5_000)
    const results = await load.stop()
    const after = await statsByName(cluster)

    const summary = summarize(results)
    const gets = results.filter((result) => result.method === 'GET')
    const posts = results.filter((result) => result.method === 'POST')
    const failedGets = gets.filter((result) => !result.ok)
    const failedPosts = posts.filter((result) => !result.ok)
    const created = posts.filter((result) => result.status === 201)
    const conflicts = posts.filter((result) => result.status === 409)

    // A failed booking either never happened or happened completely; find out which.
    let bookedAnyway = 0
    for (const failure of failedPosts) {
      const slot = failure.request.body as { tutor: string; start: string }
      const found = await payload.find({
        collection: 'appointments',
        where: { and: [{ tutor: { equals: slot.tutor } }, { start: { equals: slot.start } }, { status: { equals: 'booked' } }] },
        depth: 0,
        overrideAccess: true,
      })
      if (found.docs.length > 0) bookedAnyway++
    }
    const createdIds = created.map((result) => String((result.body as { doc: Appointment }).doc.id))
    const stored = await payload.find({ collection: 'appointments', where: { id: { in: createdIds } }, pagination: false, depth: 0, overrideAccess: true })

    const integrity = await checkBookingIntegrity(payload, workload)
    const logged = haproxyLog(cluster).filter((entry) => entry.server === victim)
    const cutMidResponse = logged.filter((entry) => entry.termination.startsWith('SD') && entry.status > 0)
    const getsCutMidResponse = cutMidResponse.filter((entry) => entry.method === 'GET')
    console.log(
      `kill -9 ${victim} (DOWN in HAProxy ${downAfter} ms after the kill), retries on\n${formatSummary(summary)}\n` +
        `GET failed: ${failedGets.length} (HAProxy: ${getsCutMidResponse.length} GET responses cut mid-body by the kill, not retryable); POST: ${created.length} created, ${failedPosts.length} failed ${JSON.stringify(summarize(failedPosts).byKind)} ` +
        `(of which booked anyway: ${bookedAnyway}), ${conflicts.length} conflicts (a replayed POST would show here)\n` +
        `HAProxy retries ${JSON.stringify(counterDelta(before, after, 'wretr'))} redispatches ${JSON.stringify(counterDelta(before, after, 'wredis'))}\n` +
        `database: ${integrity.appointments} appointments (${integrity.active} active), ${integrity.sweptClaims} orphan claims swept, ` +
        `incomplete ${integrity.incomplete.length}, missing claims ${integrity.missingClaims.length}, stray claims ${integrity.strayClaims.length}, overlaps ${integrity.overlaps.length}`,
    )

    expect(failedGets.length).toBe(getsCutMidResponse.length)
    expect(failedGets.map((result) => result.path).sort()).toEqual(getsCutMidResponse.map((entry) => entry.path).sort())
    expect(conflicts).toEqual([])
    expect(failedPosts.every((result) => result.status === 502 || result.status === 503 || result.status === 0)).toBe(true)
    expect(stored.docs).toHaveLength(created.length)
    expect(integrity.active).toBe(created.length + bookedAnyway)
    expect(integrity).toMatchObject({ incomplete: [], missingClaims: [], strayClaims: [], overlaps: [] })
  }, 180_000)
})
