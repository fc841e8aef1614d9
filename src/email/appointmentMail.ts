import type { Payload } from 'payload'

import { serverURL } from '../lib/env'
import type { Appointment, Student, Tutor } from '../payload-types'
import { cachedTutor } from '../readModels/tutors'
import { parseReminderOffsets } from '../reminders/timing'
import { appointmentSnapshot, type AppointmentSnapshot } from '../scheduling'
import {
  appointmentMail,
  planAppointmentEmails,
  planOfWrite,
  REMINDER_TEMPLATE,
  type EmailPlan,
  type MailPerson,
  type WriteMailPlan,
} from './appointmentEmailPlan'
import type { MailIntent } from './mailIntents'
import { scheduleEmailWork } from './kicks'
import { emailServicesFor, type EmailServices } from './services'

/** The mail of appointment writes in three steps (record, queue, expand by a tick): see docs/email.md. */

export const manageBookingUrl = (appointmentId: string): string => `${serverURL()}/bookings/${appointmentId}`

/** The tutor's view of a session: the admin panel, where a tutor signs in and sees their own sessions. */
export const tutorBookingUrl = (appointmentId: string): string => `${serverURL()}/admin/collections/appointments/${appointmentId}`

/** How long after a write its intent waits for the writing process before any replica takes it over. */
export function mailIntentGraceMs(): number {
  const raw = process.env.EMAIL_INTENT_GRACE_MS?.trim()
  const value = raw ? Number(raw) : NaN
  return Number.isFinite(value) && value >= 0 ? value : 120_000
}

const kickDisabled = () => process.env.EMAIL_KICK_DISABLED === '1'

/**
 * Step 1 (beforeChange, after the booking rules): records what this write owes in mail, unless it owes none.
 * A change that mails an update takes its calendar SEQUENCE here, so every process expanding the intent uses
 * the same number (and so the same dedupe keys). Never fails the write: without an intent, step 2 still
 * queues the mail; only the crash protection is missing.
 */
export async function recordMailOfWrite(input: {
  payload: Payload
  operation: 'create' | 'update'
  data: Partial<Appointment>
  originalDoc?: Partial<Appointment>
  now?: number
}): Promise<{ mailPlan: WriteMailPlan; mailIntent?: MailIntent }> {
  const { payload, operation, data, originalDoc } = input
  const previous = operation === 'update' && originalDoc ? appointmentSnapshot(originalDoc) : undefined
  const next = appointmentSnapshot({ ...(operation === 'update' ? originalDoc : {}), ...data })
  const plan = planAppointmentEmails(previous, next)
  const mailPlan: WriteMailPlan = { plan, previous, next }
  if (plan.emails.length === 0 && plan.reminders === 'keep') return { mailPlan }
  const bookingKey = data.bookingKey ?? originalDoc?.bookingKey ?? undefined
  const appointmentId = operation === 'update' && originalDoc?.id !== undefined ? String(originalDoc.id) : null
  if (!bookingKey && !appointmentId) return { mailPlan }
  const at = input.now ?? Date.now()
  try {
    const services = await emailServicesFor(payload)
    const sequence = previous && plan.emails.length > 0 && bookingKey ? await services.sequences.next(bookingKey, new Date(at)) : null
    const mailIntent = await services.intents.record({
      bookingKey: bookingKey ?? appointmentId!,
      appointmentId,
      previous: previous ?? null,
      sequence,
      at: new Date(at),
      // Without kicks no process expands it right after the save: the next tick may at once.
      dueAt: new Date(kickDisabled() ? at : at + mailIntentGraceMs()),
    })
    return { mailPlan, mailIntent }
  } catch (error) {
    payload.logger.error({ event: 'email.intent_failed', err: error }, 'Could not record the mail intent; the mail is queued after the save without crash protection')
    return { mailPlan }
  }
}

type People = { students: Map<string, MailPerson>; tutors: Map<string, MailPerson> }

const studentPerson = (student: Student): MailPerson => ({ name: student.fullName, email: student.email, timeZone: student.timeZone, language: student.language })
const tutorPerson = (tutor: Tutor): MailPerson => ({ name: tutor.name, email: tutor.contactEmail, timeZone: tutor.timeZone })

/**
 * Names, addresses and zones of the people an appointment write concerns. The booking rules already loaded
 * them for this write (passed in as `known`); otherwise tutors come from the stamp-validated cache and students from
 * one read by id, both without Payload's read hooks (only email, name and zone are used).
 */
async function loadPeople(payload: Payload, known: { student?: Student; tutor?: Tutor }, studentIds: string[], tutorIds: string[]): Promise<People> {
  const loadStudent = async (id: string) =>
    known.student && String(known.student.id) === id
      ? known.student
      : ((await payload.db.findOne({ collection: 'students', where: { id: { equals: id } } })) as Student | null)
  const loadTutor = async (id: string) => (known.tutor && String(known.tutor.id) === id ? known.tutor : cachedTutor(payload, id))
  const load = async <T, P>(ids: string[], loadOne: (id: string) => Promise<T | null>, person: (value: T) => P) => {
    const entries = await Promise.all(
      [...new Set(ids)].filter(Boolean).map(async (id): Promise<[string, P | null]> => {
        const found = await loadOne(id).catch(() => null)
        return [id, found ? person(found) : null]
      }),
    )
    return new Map(entries.filter((entry): entry is [string, P] => entry[1] !== null))
  }
  const [students, tutors] = await Promise.all([load(studentIds, loadStudent, studentPerson), load(tutorIds, loadTutor, tutorPerson)])
  return { students, tutors }
}

type Expansion = {
  intent?: MailIntent
  previous?: AppointmentSnapshot
  current: Appointment
  /** planAppointmentEmails(previous, snapshot of current). */
  plan: EmailPlan
  sequence?: number | null
  at: number
  known: { student?: Student; tutor?: Tutor }
}

export type ExpansionResult = { queued: string[]; sent: number; remindersCancelled: number }

/**
 * Steps 2 and 3: queues the messages the change calls for. With `sendNow`, confirmations and notices are
 * inserted as this process's first attempt and sent right away; otherwise everything waits for a dispatcher.
 * Idempotent: run twice (or by two processes at once), every message is queued and sent once.
 */
async function expand(payload: Payload, services: EmailServices, job: Expansion, options: { sendNow: boolean }): Promise<ExpansionResult> {
  const { current } = job
  const { plan } = job
  const currentSnap = appointmentSnapshot(current)
  const result: ExpansionResult = { queued: [], sent: 0, remindersCancelled: 0 }
  if (plan.emails.length > 0 || plan.reminders !== 'keep') {
    const appointmentId = String(current.id)
    const bookingKey = current.bookingKey || appointmentId
    const people = await loadPeople(
      payload,
      job.known,
      [currentSnap.student, job.previous?.student ?? ''],
      [currentSnap.tutor, job.previous?.tutor ?? ''],
    )
    // A new booking is SEQUENCE 0; each later change that mails an update takes the next number (normally
    // already taken with the intent).
    const sequence = job.sequence ?? (job.previous && plan.emails.length > 0 ? await services.sequences.next(bookingKey, new Date(job.at)) : 0)
    const mail = appointmentMail({
      appointmentId,
      bookingKey,
      sequence,
      at: job.at,
      previous: job.previous,
      current: { ...currentSnap, notes: current.notes, cancellation: current.cancellation },
      students: people.students,
      tutors: people.tutors,
      manageUrl: manageBookingUrl(appointmentId),
      tutorManageUrl: tutorBookingUrl(appointmentId),
      organizer: { name: services.settings.fromName, email: services.settings.fromAddress },
      reminderOffsetsMinutes: parseReminderOffsets(process.env.REMINDER_OFFSETS_MINUTES),
      plan,
    })
    if (mail.cancelRemindersBecause) {
      result.remindersCancelled = await services.outbox.cancelQueued(appointmentId, [REMINDER_TEMPLATE], mail.cancelRemindersBecause, new Date())
    }
    const { inserted, results } = await services.outbox.enqueueMany(
      mail.messages.map((message) => ({
        ...message,
        html: '',
        text: '',
        appointmentStart: new Date(message.appointmentStart),
        sendAt: message.sendAt === undefined ? undefined : new Date(message.sendAt),
        sendNow: options.sendNow && message.sendAt === undefined,
      })),
      { sendingLeaseMs: services.settings.leaseMs },
    )
    result.queued = results.filter((entry) => entry.created).map((entry) => entry.id)
    if (job.intent) await services.intents.settle(job.intent._id)
    const outcomes = await Promise.all(inserted.filter((doc) => doc.status === 'sending').map((doc) => services.dispatcher.sendInserted(doc)))
    result.sent = outcomes.filter((outcome) => outcome === 'sent').length
  } else if (job.intent) {
    await services.intents.settle(job.intent._id)
  }
  return result
}

/**
 * Step 2 (afterChange): hands this write's mail to the background (or, with EMAIL_KICK_DISABLED=1, queues it
 * here for the dispatchers). Returns when the request may go on. `mailPlan` and `mailIntent` are what step 1
 * recorded for this write; the plan is reused unless the appointment changed since.
 */
export async function queueMailOfWrite(input: {
  payload: Payload
  previous?: Partial<Appointment>
  current: Appointment
  known?: { student?: Student; tutor?: Tutor }
  mailIntent?: MailIntent
  mailPlan?: WriteMailPlan
  now?: number
}): Promise<void> {
  const { payload, current, mailIntent: intent } = input
  const previous = input.previous ? appointmentSnapshot(input.previous) : undefined
  const plan = planOfWrite(input.mailPlan, previous, appointmentSnapshot(current))
  if (plan.emails.length === 0 && plan.reminders === 'keep' && !intent) return
  const job: Expansion = {
    intent,
    previous,
    current,
    plan,
    sequence: intent?.sequence,
    at: intent?.at.getTime() ?? input.now ?? Date.now(),
    known: { student: input.known?.student, tutor: input.known?.tutor },
  }
  const services = await emailServicesFor(payload)
  if (kickDisabled()) {
    await expand(payload, services, job, { sendNow: false })
    return
  }
  // Writes to one appointment are expanded in the order they were made (a booking cancelled at once must not
  // have its cancellation queued before its confirmation).
  const key = String(current.id)
  const earlier = lastWorkByAppointment.get(key)
  const work = scheduleEmailWork(async () => {
    await earlier
    return expand(payload, services, job, { sendNow: true })
  })
  lastWorkByAppointment.set(key, work.done)
  void work.done.then(() => {
    if (lastWorkByAppointment.get(key) === work.done) lastWorkByAppointment.delete(key)
  })
  // Work piling up faster than it drains: this request waits for its own, as the old inline queueing did.
  if (work.backlogged) await work.done
}

/** The latest background expansion per appointment in this process (settles, never rejects). */
const lastWorkByAppointment = new Map<string, Promise<void>>()

/**
 * Step 3 (dispatcher ticks, every replica): intents past their grace period belong to writes whose process did
 * not finish the mail. Each is expanded from the appointment as it is now; one whose write never happened
 * (no such appointment, or no change since) queues nothing and is dropped.
 */
export async function expandDueMailIntents(payload: Payload, options: { now?: number; limit?: number } = {}): Promise<ExpansionResult & { intents: number }> {
  const services = await emailServicesFor(payload)
  const now = options.now ?? Date.now()
  const due = await services.intents.due(new Date(now), options.limit ?? 50)
  const total = { intents: due.length, queued: [] as string[], sent: 0, remindersCancelled: 0 }
  for (const intent of due) {
    try {
      const current = (await payload.db.findOne({
        collection: 'appointments',
        where: intent.appointmentId ? { id: { equals: intent.appointmentId } } : { bookingKey: { equals: intent.bookingKey } },
      })) as Appointment | null
      if (!current) {
        await services.intents.settle(intent._id)
        continue
      }
      const previous = intent.previous ?? undefined
      const result = await expand(payload, services, {
        intent,
        previous,
        current,
        plan: planAppointmentEmails(previous, appointmentSnapshot(current)),
        sequence: intent.sequence,
        at: intent.at.getTime(),
        known: {},
      }, { sendNow: !kickDisabled() })
      total.queued.push(...result.queued)
      total.sent += result.sent
      total.remindersCancelled += result.remindersCancelled
    } catch (error) {
      payload.logger.warn({ event: 'email.intent_expand_failed', intent: intent._id.toHexString(), err: error }, 'Could not expand a mail intent; the next tick retries')
    }
  }
  if (due.length > 0) payload.logger.info({ event: 'email.intents_expanded', intents: due.length, queued: total.queued.length, sent: total.sent }, 'expanded mail intents of unfinished writes')
  return total
}
