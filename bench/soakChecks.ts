// What the soak (bench/soak.ts) checks in the database and in the local SES server after the run.
import type { Payload } from 'payload'

import { MAIL_INTENTS_COLLECTION } from '../src/email/mailIntents'
import type { OutboxDocument } from '../src/email/outbox'
import type { Appointment } from '../src/payload-types'
import { mongoDb } from '../src/storage/db'
import type { StoredEmail } from '../test/helpers/mailbox'

const BOOKED_MAIL = ['appointment-confirmed', 'tutor-new-booking']
const CANCELLED_MAIL = ['appointment-cancelled', 'tutor-booking-cancelled']

/** These tutors' appointments in one status, every page, unpopulated. */
function appointmentsOf(payload: Payload, tutorIds: string[], status: 'booked' | 'cancelled') {
  return payload.find({ collection: 'appointments', where: { and: [{ tutor: { in: tutorIds } }, { status: { equals: status } }] }, pagination: false, depth: 0, overrideAccess: true })
}

/** Pairs of booked appointments of one tutor whose sessions overlap, now (one snapshot). */
export async function bookedOverlaps(payload: Payload, tutorIds: string[]): Promise<string[]> {
  const found = await appointmentsOf(payload, tutorIds, 'booked')
  const byTutor = new Map<string, { id: string; start: number; end: number }[]>()
  for (const doc of found.docs as Appointment[]) {
    const tutor = String(typeof doc.tutor === 'object' ? doc.tutor.id : doc.tutor)
    const list = byTutor.get(tutor) ?? []
    list.push({ id: String(doc.id), start: Date.parse(doc.start), end: Date.parse(doc.end) })
    byTutor.set(tutor, list)
  }
  const overlaps: string[] = []
  for (const [tutor, list] of byTutor) {
    list.sort((a, b) => a.start - b.start)
    for (let i = 1; i < list.length; i++) if (list[i].start < list[i - 1].end) overlaps.push(`tutor ${tutor}: ${list[i - 1].id} / ${list[i].id}`)
  }
  return overlaps
}

/** Ids of these tutors' cancelled appointments. */
export async function cancelledAppointments(payload: Payload, tutorIds: string[]): Promise<Set<string>> {
  const found = await appointmentsOf(payload, tutorIds, 'cancelled')
  return new Set(found.docs.map((doc) => String(doc.id)))
}

/** Mail work still to do: intents not expanded, and appointment mail queued or being sent (reminders wait for their time). */
export async function pendingMail(payload: Payload): Promise<number> {
  const db = mongoDb(payload)
  const [intents, unsent] = await Promise.all([
    db.collection(MAIL_INTENTS_COLLECTION).countDocuments({}),
    db.collection('emails').countDocuments({ template: { $in: [...BOOKED_MAIL, ...CANCELLED_MAIL] }, status: { $in: ['queued', 'sending'] } }),
  ])
  return intents + unsent
}

export type MailReport = {
  expected: number
  outboxRecords: number
  sesMessages: number
  /** Appointment × template with no outbox record, or with one not `sent`. */
  missing: string[]
  /** Appointment × template with more than one outbox record. */
  duplicateRecords: string[]
  /** Sent records whose SES message id is not in SES's store. */
  notInSes: string[]
  /** SES messages that no sent record names (a second send of one message), or that two records name. */
  sesExtra: string[]
  /** Reminders of these appointments that went out (none are due during a soak: the sessions are days ahead). */
  remindersSent: number
}

export async function checkMail(payload: Payload, sesEndpoint: string, booked: string[], cancelled: Set<string>): Promise<MailReport> {
  const records = await mongoDb(payload)
    .collection<OutboxDocument>('emails')
    .find({}, { projection: { appointment: 1, template: 1, status: 1, sesMessageId: 1 } })
    .toArray()
  const store = (await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: StoredEmail[] }
  const sesCount = new Map<string, number>()
  for (const email of store.emails) sesCount.set(normalId(email.messageId), (sesCount.get(normalId(email.messageId)) ?? 0) + 1)

  const byKey = new Map<string, OutboxDocument[]>()
  let remindersSent = 0
  for (const record of records) {
    if (record.template === 'appointment-reminder' && record.status === 'sent') remindersSent++
    const key = `${String(record.appointment)} ${record.template}`
    byKey.set(key, [...(byKey.get(key) ?? []), record])
  }
  const report: MailReport = { expected: 0, outboxRecords: 0, sesMessages: store.emails.length, missing: [], duplicateRecords: [], notInSes: [], sesExtra: [], remindersSent }
  const named = new Map<string, number>()
  for (const id of booked) {
    const templates = cancelled.has(id) ? [...BOOKED_MAIL, ...CANCELLED_MAIL] : BOOKED_MAIL
    for (const template of templates) {
      report.expected++
      const found = byKey.get(`${id} ${template}`) ?? []
      report.outboxRecords += found.length
      if (found.length > 1) report.duplicateRecords.push(`${id} ${template} ×${found.length}`)
      const sent = found.filter((record) => record.status === 'sent')
      if (sent.length === 0) report.missing.push(`${id} ${template} (${found.map((record) => record.status).join(', ') || 'no record'})`)
      for (const record of sent) {
        const messageId = normalId(record.sesMessageId ?? '')
        named.set(messageId, (named.get(messageId) ?? 0) + 1)
        if (!sesCount.has(messageId)) report.notInSes.push(`${id} ${template} (${record.sesMessageId ?? 'no message id'})`)
      }
    }
  }
  for (const [messageId, count] of sesCount) {
    const names = named.get(messageId) ?? 0
    if (count > 1 || names !== 1) report.sesExtra.push(`${messageId}: ${count} in SES, named by ${names} record(s)`)
  }
  return report
}

/** SES ids as stored by the transport may carry nodemailer's angle brackets and domain. */
const normalId = (id: string): string => id.replace(/^<|>$/g, '').replace(/@.*$/, '')
