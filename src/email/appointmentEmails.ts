import type { Payload, PayloadRequest } from 'payload'

import { TEMPLATES, type SessionFacts, type TemplateName, type TemplateProps } from '../../email-templates'
import { serverURL } from '../lib/env'
import type { Appointment, Student, Tutor } from '../payload-types'
import { cachedTutor } from '../booking/tutorProfiles'
import { parseReminderOffsets, reminderDueTimes } from '../reminders/timing'
import { planAppointmentEmails, type AppointmentSnapshot, type PlannedEmail } from './appointmentEmailPlan'
import { buildCalendarInvite, calendarUid, storedInvite } from './calendarInvite'
import type { NewEmail } from './outbox'
import { renderEmail } from './render'
import { emailServicesFor, kickDispatch } from './services'

export const REMINDER_TEMPLATE = 'appointment-reminder'

const refOf = (value: unknown): string => (value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : String(value ?? ''))

export const manageBookingUrl = (appointmentId: string): string => `${serverURL()}/bookings/${appointmentId}`

export const reminderDedupeKey = (appointmentId: string, start: number, offsetMinutes: number): string =>
  `reminder:${appointmentId}:${new Date(start).toISOString()}:${offsetMinutes}`

function snapshot(doc: Partial<Appointment>): AppointmentSnapshot {
  return {
    status: doc.status ?? null,
    start: String(doc.start ?? ''),
    end: String(doc.end ?? ''),
    tutor: refOf(doc.tutor),
    student: refOf(doc.student),
    meetingLocation: doc.meetingLocation ?? null,
  }
}

type People = { students: Map<string, Student>; tutors: Map<string, Tutor> }

/**
 * Names, addresses and zones of the people an appointment write concerns. The booking rules already loaded
 * them for this request (req.context); otherwise tutors come from the stamp-validated cache and students from
 * one read by id, both without Payload's read hooks (only email, name and zone are used).
 */
async function loadPeople(payload: Payload, req: PayloadRequest | undefined, studentIds: string[], tutorIds: string[]): Promise<People> {
  const loadedStudent = req?.context?.bookingStudent as Student | undefined
  const loadedTutor = req?.context?.bookingTutor as Tutor | undefined
  const loadStudent = async (id: string) =>
    loadedStudent && String(loadedStudent.id) === id
      ? loadedStudent
      : ((await payload.db.findOne({ collection: 'students', where: { id: { equals: id } } })) as Student | null)
  const loadTutor = async (id: string) => (loadedTutor && String(loadedTutor.id) === id ? loadedTutor : cachedTutor(payload, id))
  const load = async <T>(ids: string[], loadOne: (id: string) => Promise<T | null>) => {
    const entries = await Promise.all(
      [...new Set(ids)].filter(Boolean).map(async (id): Promise<[string, T | null]> => [id, await loadOne(id).catch(() => null)]),
    )
    return new Map(entries.filter((entry): entry is [string, T] => entry[1] !== null))
  }
  const [students, tutors] = await Promise.all([load<Student>(studentIds, loadStudent), load<Tutor>(tutorIds, loadTutor)])
  return { students, tutors }
}

function facts(version: AppointmentSnapshot, appointmentId: string, timeZone: string, people: People, notes?: string | null): SessionFacts {
  return {
    start: Date.parse(version.start),
    end: Date.parse(version.end),
    timeZone,
    tutorName: people.tutors.get(version.tutor)?.name ?? 'your tutor',
    studentName: people.students.get(version.student)?.fullName ?? 'the student',
    meetingLocation: version.meetingLocation,
    notes,
    manageUrl: manageBookingUrl(appointmentId),
  }
}

/**
 * Queues the emails an appointment write calls for (see planAppointmentEmails): confirmations, reschedule and
 * cancellation notices with calendar invites for the student, notices for the tutor, and reminders at the
 * configured offsets. Only inserts outbox documents (plus an immediate background send attempt): the write
 * that triggered it never waits for SES.
 */
export async function queueAppointmentEmails(input: {
  payload: Payload
  req?: PayloadRequest
  previous?: Partial<Appointment>
  current: Appointment
  now?: number
}): Promise<{ queued: string[]; remindersCancelled: number }> {
  const { payload, req, current } = input
  const now = input.now ?? Date.now()
  const previousSnap = input.previous ? snapshot(input.previous) : undefined
  const currentSnap = snapshot(current)
  const plan = planAppointmentEmails(previousSnap, currentSnap)
  if (plan.emails.length === 0 && plan.reminders === 'keep') return { queued: [], remindersCancelled: 0 }

  const services = await emailServicesFor(payload)
  const appointmentId = String(current.id)
  const people = await loadPeople(
    payload,
    req,
    [currentSnap.student, previousSnap?.student ?? ''],
    [currentSnap.tutor, previousSnap?.tutor ?? ''],
  )
  const bookingKey = current.bookingKey || appointmentId
  // A new booking is SEQUENCE 0; each later change that mails an update takes the next number.
  const sequence = plan.emails.length > 0 && previousSnap ? await services.sequences.next(bookingKey, new Date(now)) : 0
  const previousVersion = previousSnap ?? currentSnap

  const messages: NewEmail[] = []
  for (const planned of plan.emails) {
    const message = await buildPlannedEmail({
      planned,
      people,
      appointmentId,
      bookingKey,
      sequence,
      now,
      version: planned.version === 'previous' ? previousVersion : currentSnap,
      previous: previousVersion,
      current,
      fromAddress: services.settings.fromAddress,
      fromName: services.settings.fromName,
    })
    if (message) messages.push(message)
  }

  let remindersCancelled = 0
  // A new booking has no reminders yet; looking for them would scan the queue on FerretDB.
  if (plan.reminders !== 'keep' && previousSnap) {
    remindersCancelled = await services.outbox.cancelQueued(
      appointmentId,
      [REMINDER_TEMPLATE],
      plan.reminders === 'cancel' ? `Not sent: the appointment is ${current.status}.` : 'Not sent: the appointment changed; reminders were queued again.',
      new Date(now),
    )
  }

  const queued: string[] = []
  for (const message of messages) {
    const result = await services.outbox.enqueue(message, new Date(now))
    if (result.created) queued.push(result.id)
  }

  if (plan.reminders === 'schedule') {
    const student = people.students.get(currentSnap.student)
    if (student?.email) {
      const start = Date.parse(currentSnap.start)
      const offsets = parseReminderOffsets(process.env.REMINDER_OFFSETS_MINUTES)
      for (const due of reminderDueTimes({ start, offsetsMinutes: offsets, bookedAt: now })) {
        // Rendered when it falls due (dispatcher), not here: the booking request only stores what it needs.
        const props: TemplateProps[typeof REMINDER_TEMPLATE] = {
          ...facts(currentSnap, appointmentId, student.timeZone || 'UTC', people, current.notes),
          offsetMinutes: due.offsetMinutes,
        }
        await services.outbox.enqueueOrRevive(
          {
            to: student.email,
            template: REMINDER_TEMPLATE,
            subject: TEMPLATES[REMINDER_TEMPLATE].subject(props),
            html: '',
            text: '',
            renderProps: props,
            appointmentId,
            appointmentStart: new Date(start),
            dedupeKey: reminderDedupeKey(appointmentId, start, due.offsetMinutes),
            sendAt: new Date(due.dueAt),
          },
          new Date(now),
        )
      }
    }
  }

  kickDispatch(payload, queued)
  return { queued, remindersCancelled }
}

async function buildPlannedEmail(input: {
  planned: PlannedEmail
  people: People
  appointmentId: string
  bookingKey: string
  sequence: number
  now: number
  version: AppointmentSnapshot
  previous: AppointmentSnapshot
  current: Appointment
  fromAddress: string
  fromName: string
}): Promise<NewEmail | undefined> {
  const { planned, people, appointmentId, version, previous, current } = input
  const isStudent = planned.recipient.kind === 'student'
  const student = isStudent ? input.people.students.get(planned.recipient.id) : undefined
  const tutor = isStudent ? undefined : input.people.tutors.get(planned.recipient.id)
  const to = isStudent ? student?.email : tutor?.contactEmail
  if (!to) return undefined
  const timeZone = (isStudent ? student?.timeZone : tutor?.timeZone) || 'UTC'
  const base = facts(version, appointmentId, timeZone, people, current.notes)
  const moved = { previousStart: Date.parse(previous.start), previousEnd: Date.parse(previous.end) }
  const cancellation = { reason: current.cancellation?.reason ?? null, cancelledBy: current.cancellation?.by ?? null }

  const props: { [K in PlannedEmail['template']]: TemplateProps[K] } = {
    'appointment-confirmed': base,
    'appointment-rescheduled': { ...base, ...moved },
    'appointment-cancelled': { ...base, ...cancellation },
    'tutor-new-booking': base,
    'tutor-booking-rescheduled': { ...base, ...moved },
    'tutor-booking-cancelled': { ...base, ...cancellation },
  }
  const rendered = await renderEmail(planned.template as TemplateName, props[planned.template] as never)

  const attachments = []
  if (planned.invite && student) {
    const ics = buildCalendarInvite({
      method: planned.invite,
      uid: calendarUid(input.bookingKey),
      sequence: input.sequence,
      start: base.start,
      end: base.end,
      title: `Tutoring session with ${base.tutorName}`,
      description: `Tutoring session with ${base.tutorName}. Manage your booking: ${base.manageUrl}`,
      location: base.meetingLocation,
      url: base.manageUrl,
      organizer: { name: input.fromName, email: input.fromAddress },
      attendee: { name: student.fullName, email: student.email },
      stamp: input.now,
    })
    attachments.push(storedInvite(planned.invite, ics))
  }

  return {
    to,
    template: planned.template,
    ...rendered,
    attachments,
    appointmentId,
    appointmentStart: new Date(base.start),
    dedupeKey: `${planned.template}:${appointmentId}:${input.sequence}:${planned.recipient.id}`,
  }
}
