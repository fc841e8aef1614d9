import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import type { Cluster } from '../../scripts/cluster/startCluster'
import { mongoDb } from '../../src/storage/db'
import { REMINDER_TEMPLATE } from '../../src/email/appointmentEmailPlan'
import type { OutboxDocument } from '../../src/email/outbox'
import { testPayload } from '../helpers/api'
import { bookingWorkload, sleep, startTestCluster } from '../helpers/clusterProof'
import { sentEmails } from '../helpers/mailbox'

/**
 * Reminders fall due while three replicas run their email dispatcher (src/jobs/backgroundJobs.ts), and one replica
 * is killed with SIGKILL mid-run: every reminder that fell due is sent, none is lost, and none twice, except a message
 * the killed replica had already handed to SES when it died (it cannot record that; another replica resends it after
 * the lease). That is at-least-once delivery, and the test tells such a resend apart from a real double send.
 *
 * Reminder offsets are whole minutes and session starts are 5-minute aligned, so the replicas get offsets 1…10 min:
 * whatever the clock, one reminder per appointment falls due every minute from the booking on. The dispatcher
 * ticks every second, and a message claimed by the killed replica is re-claimed by another once its lease
 * (EMAIL_LEASE_MS, shortened to 10 s here) has passed.
 */

const OFFSETS = Array.from({ length: 10 }, (_, i) => i + 1)
const LEASE_MS = 10_000
const PAIRS = 8

let payload: Payload
let cluster: Cluster | undefined

beforeAll(async () => {
  payload = await testPayload()
  cluster = await startTestCluster({
    replicas: 3,
    retries: true,
    env: {
      REMINDER_OFFSETS_MINUTES: OFFSETS.join(','),
      EMAIL_DISPATCH_INTERVAL_MS: '1000',
      EMAIL_LEASE_MS: String(LEASE_MS),
    },
  })
}, 180_000)

afterAll(async () => {
  await cluster?.stop()
}, 60_000)

describe('reminders across replicas', () => {
  it(
    'reminders due while one of three replicas is killed are each sent once, none lost',
    async () => {
      const c = cluster!
      // Starts on the 5-minute grid a few minutes ahead: the tutors offer a start every 5 minutes and no notice.
      const workload = await bookingWorkload(payload, {
        pairs: PAIRS,
        label: 'remind',
        tutorPolicy: { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 0, slotIntervalMinutes: 5 },
      })
      const emails = new Set(workload.students.map((student) => student.email.toLowerCase()))
      const fiveMinutes = 5 * 60_000
      const start = new Date(Math.ceil((Date.now() + 6 * 60_000) / fiveMinutes) * fiveMinutes).toISOString()

      for (let k = 0; k < PAIRS; k++) {
        const response = await fetch(`${c.url}/api/appointments`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `JWT ${workload.students[k].token}` },
          body: JSON.stringify({ tutor: workload.tutors[k].id, start, duration: 60 }),
        })
        expect(response.status).toBe(201)
      }
      const bookedAt = Date.now()
      const victim = c.replicas[1].name
      // Kill the victim a moment after a batch of reminders falls due, when the dispatchers are likely mid-send.
      const dueTimes = OFFSETS.map((offset) => Date.parse(start) - offset * 60_000).filter((due) => due >= bookedAt + 10_000)
      const killAt = Math.min(...dueTimes) + 300
      await sleep(killAt - Date.now())
      const killedAt = Date.now()
      await c.killReplica(victim, 'SIGKILL')
      // Then one more minute, so the next batch falls due with two replicas left.
      await sleep(65_000)
      const cutoff = Date.now()

      const outbox = mongoDb(payload).collection<OutboxDocument>('emails')
      const ours = async () => (await outbox.find({ template: REMINDER_TEMPLATE }).toArray()).filter((doc) => emails.has(doc.to.toLowerCase()))
      // Everything due by the cutoff must be sent, within a lease (a claim held by the dead replica) plus a few ticks.
      const overdue = (doc: OutboxDocument) =>
        (doc.status === 'queued' && (doc.nextAttemptAt?.getTime() ?? 0) <= cutoff) ||
        (doc.status === 'sending' && (doc.leaseUntil?.getTime() ?? 0) <= Date.now())
      const settleStarted = Date.now()
      while ((await ours()).some(overdue) && Date.now() - settleStarted < LEASE_MS + 30_000) await sleep(500)
      const settledIn = Date.now() - settleStarted

      // Stop every dispatcher before counting, so nothing is sent between reading the outbox and reading SES.
      await c.stop()
      const reminders = await ours()
      const allOurs = (await outbox.find({}).toArray()).filter((doc) => emails.has(doc.to.toLowerCase()))
      const stored = (await sentEmails()).filter((email) => email.destination.to.some((to) => emails.has(to.toLowerCase())))

      const sent = reminders.filter((doc) => doc.status === 'sent')
      const lost = reminders.filter(overdue)
      const failed = reminders.filter((doc) => doc.status === 'failed')
      const sentBeforeKill = sent.filter((doc) => (doc.sentAt?.getTime() ?? 0) < killedAt).length
      const retried = sent.filter((doc) => doc.attempts > 1).length
      const messageIds = new Map<string, number>()
      for (const email of stored) messageIds.set(email.messageId, (messageIds.get(email.messageId) ?? 0) + 1)
      const sentRecords = allOurs.filter((doc) => doc.status === 'sent')
      const unmatched = sentRecords.filter((doc) => !doc.sesMessageId || messageIds.get(doc.sesMessageId) !== 1)
      const duplicates = stored.length - sentRecords.length
      // The one duplicate the outbox cannot rule out: the killed replica handed a message to SES and died before
      // recording it, so another replica sent it again after the lease. Such a message shows more than one attempt.
      // Any other duplicate (two live replicas sending the same message) is a bug.
      const byContent = new Map<string, string[]>()
      for (const email of stored) {
        const key = `${email.destination.to.join(',')}|${email.subject}|${email.body.text ?? email.body.html ?? ''}`
        byContent.set(key, [...(byContent.get(key) ?? []), email.messageId])
      }
      const recordBySesId = new Map(sentRecords.map((doc) => [doc.sesMessageId, doc]))
      const duplicateGroups = [...byContent.values()].filter((ids) => ids.length > 1)
      const unexplained = duplicateGroups.filter((ids) => !ids.some((id) => (recordBySesId.get(id)?.attempts ?? 0) > 1))

      console.log(
        `reminders: ${PAIRS} appointments booked ${Math.round((Date.parse(start) - bookedAt) / 1000)} s ahead, offsets ${OFFSETS.join(',')} min; ` +
          `killed ${victim} ${Math.round((killedAt - bookedAt) / 1000)} s after booking; ${reminders.length} reminders queued, ` +
          `${sent.length} sent by the cutoff (${sentBeforeKill} before the kill, ${sent.length - sentBeforeKill} after; settled ${settledIn} ms after the cutoff), ` +
          `${retried} needed more than one attempt, ${lost.length} overdue unsent, ${failed.length} failed; SES received ${stored.length} messages for ${sentRecords.length} sent outbox records ` +
          `(all templates), duplicates ${duplicates} (not explained by the kill: ${unexplained.length}), sent records without exactly one SES message ${unmatched.length}`,
      )
      expect(sent.length).toBeGreaterThan(0)
      expect(sent.length - sentBeforeKill).toBeGreaterThan(0)
      expect(lost).toEqual([])
      expect(failed).toEqual([])
      expect(unexplained).toEqual([])
      expect(duplicates).toBe(duplicateGroups.reduce((sum, ids) => sum + ids.length - 1, 0))
      expect(duplicates).toBeLessThanOrEqual(retried)
      expect(unmatched).toEqual([])
    },
    300_000,
  )
})
