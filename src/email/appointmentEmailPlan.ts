/**
 * Which emails a change to an appointment calls for, and the messages themselves. Pure: compares the appointment
 * before and after a write; no Payload, no database.
 */
import { TEMPLATES, type SessionFacts, type TemplateProps } from '../../email-templates'
import { DEFAULT_LOCALE } from '../i18n/catalog'
import { languageOf, translator } from '../i18n/translator'
import { reminderDueTimes } from '../reminders/timing'
import { isBooked, type AppointmentSnapshot } from '../scheduling'
import { buildCalendarInvite, calendarUid, storedInvite, type StoredInvite } from './calendarInvite'

export type { AppointmentSnapshot }

export type AppointmentTemplate =
  | 'appointment-confirmed'
  | 'appointment-rescheduled'
  | 'appointment-cancelled'
  | 'tutor-new-booking'
  | 'tutor-booking-rescheduled'
  | 'tutor-booking-cancelled'

export type PlannedEmail = {
  template: AppointmentTemplate
  recipient: { kind: 'student' | 'tutor'; id: string }
  /** The appointment as this recipient should see it (the old version for a cancellation after reassignment). */
  version: 'current' | 'previous'
  /** Calendar method of the attached invite (students only). */
  invite?: 'REQUEST' | 'CANCEL'
}

export type EmailPlan = {
  emails: PlannedEmail[]
  /** schedule: cancel pending reminders and queue those for the current start; cancel: only cancel; keep: nothing. */
  reminders: 'schedule' | 'cancel' | 'keep'
}

/** A write's plan with the snapshots it was computed from (kept in the booking write context between its steps). */
export type WriteMailPlan = { plan: EmailPlan; previous?: AppointmentSnapshot; next: AppointmentSnapshot }

const instant = (value: string) => Date.parse(value)

export function planAppointmentEmails(previous: AppointmentSnapshot | undefined, current: AppointmentSnapshot): EmailPlan {
  const wasBooked = isBooked(previous?.status)
  const nowBooked = isBooked(current.status)
  const studentOf = (id: string) => ({ kind: 'student' as const, id })
  const tutorOf = (id: string) => ({ kind: 'tutor' as const, id })

  if (!wasBooked && nowBooked) {
    return {
      emails: [
        { template: 'appointment-confirmed', recipient: studentOf(current.student), version: 'current', invite: 'REQUEST' },
        { template: 'tutor-new-booking', recipient: tutorOf(current.tutor), version: 'current' },
      ],
      reminders: 'schedule',
    }
  }
  if (!previous || !wasBooked) return { emails: [], reminders: 'keep' }

  if (!nowBooked) {
    if (current.status !== 'cancelled') return { emails: [], reminders: 'cancel' }
    return {
      emails: [
        { template: 'appointment-cancelled', recipient: studentOf(previous.student), version: 'current', invite: 'CANCEL' },
        { template: 'tutor-booking-cancelled', recipient: tutorOf(previous.tutor), version: 'current' },
      ],
      reminders: 'cancel',
    }
  }

  // Not changedFields: here a cleared place ('' or null) is no change, and an unreadable time always is one.
  const studentChanged = previous.student !== current.student
  const tutorChanged = previous.tutor !== current.tutor
  const timeChanged = instant(previous.start) !== instant(current.start) || instant(previous.end) !== instant(current.end)
  const placeChanged = (previous.meetingLocation ?? '') !== (current.meetingLocation ?? '')
  if (!studentChanged && !tutorChanged && !timeChanged && !placeChanged) return { emails: [], reminders: 'keep' }

  const emails: PlannedEmail[] = []
  if (studentChanged) {
    emails.push({ template: 'appointment-cancelled', recipient: studentOf(previous.student), version: 'previous', invite: 'CANCEL' })
    emails.push({ template: 'appointment-confirmed', recipient: studentOf(current.student), version: 'current', invite: 'REQUEST' })
  } else {
    emails.push({ template: 'appointment-rescheduled', recipient: studentOf(current.student), version: 'current', invite: 'REQUEST' })
  }
  if (tutorChanged) {
    emails.push({ template: 'tutor-booking-cancelled', recipient: tutorOf(previous.tutor), version: 'previous' })
    emails.push({ template: 'tutor-new-booking', recipient: tutorOf(current.tutor), version: 'current' })
  } else {
    emails.push({ template: 'tutor-booking-rescheduled', recipient: tutorOf(current.tutor), version: 'current' })
  }
  return { emails, reminders: 'schedule' }
}

const SNAPSHOT_FIELDS = ['status', 'start', 'end', 'tutor', 'student', 'meetingLocation'] as const

const sameSnapshot = (a: AppointmentSnapshot | undefined, b: AppointmentSnapshot | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && SNAPSHOT_FIELDS.every((field) => (a[field] ?? null) === (b[field] ?? null)))

/** The plan of `previous` → `next`: the one computed earlier in the write when it was for the same snapshots. */
export function planOfWrite(earlier: WriteMailPlan | undefined, previous: AppointmentSnapshot | undefined, next: AppointmentSnapshot): EmailPlan {
  if (earlier && sameSnapshot(earlier.previous, previous) && sameSnapshot(earlier.next, next)) return earlier.plan
  return planAppointmentEmails(previous, next)
}

/* ------------------------------------------------------------------------------------------------------------
 * The messages themselves. Still pure: the caller supplies the people, the numbers and the clock. Bodies are
 * not rendered here: every message carries its template props (`renderProps`) and is rendered when it is sent.
 * ---------------------------------------------------------------------------------------------------------- */

/** What a message needs to know about a person: address, name and the zone their times are shown in. */
/** `language`: a student's mail language (their profile's; English when unset). Tutors' mail is English. */
export type MailPerson = { name: string; email?: string | null; timeZone?: string | null; language?: string | null }

export type AppointmentMailInput = {
  appointmentId: string
  /** Stable for the appointment's life: the calendar UID. */
  bookingKey: string
  /** iCalendar SEQUENCE of this change: 0 for a booking, 1, 2, … for later changes. */
  sequence: number
  /** When the change was made: DTSTAMP of the invite, and reminders already past at this time are skipped. */
  at: number
  previous?: AppointmentSnapshot
  current: AppointmentSnapshot & { notes?: string | null; cancellation?: { reason?: string | null; by?: string | null } | null }
  students: ReadonlyMap<string, MailPerson>
  tutors: ReadonlyMap<string, MailPerson>
  /** The student's page of the booking (the site). */
  manageUrl: string
  /** The tutor's view of the session (the admin panel, where tutors sign in). */
  tutorManageUrl: string
  organizer: { name: string; email: string }
  reminderOffsetsMinutes: readonly number[]
  /** planAppointmentEmails(previous, current), computed once per write by the caller. */
  plan: EmailPlan
}

export type AppointmentMessage = {
  to: string
  template: AppointmentTemplate | typeof REMINDER_TEMPLATE
  subject: string
  renderProps: Record<string, unknown>
  attachments: StoredInvite[]
  appointmentId: string
  appointmentStart: number
  dedupeKey: string
  /** Reminders: when it falls due. Confirmations and notices go at once. */
  sendAt?: number
}

export type AppointmentMail = {
  messages: AppointmentMessage[]
  /** Set when the appointment's pending reminders must be cancelled first (a move or a cancellation), with why. */
  cancelRemindersBecause?: string
}

export const REMINDER_TEMPLATE = 'appointment-reminder'

export const reminderDedupeKey = (appointmentId: string, start: number, offsetMinutes: number): string =>
  `reminder:${appointmentId}:${new Date(start).toISOString()}:${offsetMinutes}`

/** Every message an appointment write calls for, fully addressed and keyed; reminders due later. */
export function appointmentMail(input: AppointmentMailInput): AppointmentMail {
  const previousVersion = input.previous ?? input.current
  const { plan } = input
  // Named options: a manage link and a language are both strings, and a swapped pair once put 'en' in reminders' links.
  const facts = (version: AppointmentSnapshot, timeZone: string, { manageUrl, locale }: { manageUrl: string; locale?: string }): SessionFacts => ({
    // English is the default: an English student's props stay as they were.
    ...(locale && locale !== 'en' ? { locale } : {}),
    start: instant(version.start),
    end: instant(version.end),
    timeZone,
    tutorName: input.tutors.get(version.tutor)?.name ?? 'your tutor',
    studentName: input.students.get(version.student)?.name ?? 'the student',
    meetingLocation: version.meetingLocation,
    notes: input.current.notes,
    manageUrl,
  })

  const messages: AppointmentMessage[] = []
  for (const planned of plan.emails) {
    const isStudent = planned.recipient.kind === 'student'
    const person = (isStudent ? input.students : input.tutors).get(planned.recipient.id)
    if (!person?.email) continue
    const version = planned.version === 'previous' ? previousVersion : input.current
    const base = isStudent ? facts(version, person.timeZone || 'UTC', { manageUrl: input.manageUrl, locale: languageOf(person) }) : facts(version, person.timeZone || 'UTC', { manageUrl: input.tutorManageUrl })
    const moved = { previousStart: instant(previousVersion.start), previousEnd: instant(previousVersion.end) }
    const cancellation = { reason: input.current.cancellation?.reason ?? null, cancelledBy: input.current.cancellation?.by ?? null }
    const props: { [K in AppointmentTemplate]: TemplateProps[K] } = {
      'appointment-confirmed': base,
      'appointment-rescheduled': { ...base, ...moved },
      'appointment-cancelled': { ...base, ...cancellation } as TemplateProps['appointment-cancelled'],
      'tutor-new-booking': base,
      'tutor-booking-rescheduled': { ...base, ...moved },
      'tutor-booking-cancelled': { ...base, ...cancellation } as TemplateProps['tutor-booking-cancelled'],
    }
    const renderProps = props[planned.template]
    const attachments: StoredInvite[] = []
    if (planned.invite && isStudent) {
      const inviteText = translator(base.locale ?? DEFAULT_LOCALE, 'Mail')
      const ics = buildCalendarInvite({
        method: planned.invite,
        uid: calendarUid(input.bookingKey),
        sequence: input.sequence,
        start: base.start,
        end: base.end,
        title: inviteText('invite.title', { tutor: base.tutorName }),
        description: inviteText('invite.description', { tutor: base.tutorName, url: base.manageUrl }),
        location: base.meetingLocation,
        url: base.manageUrl,
        organizer: input.organizer,
        attendee: { name: person.name, email: person.email },
        stamp: input.at,
      })
      attachments.push(storedInvite(planned.invite, ics))
    }
    messages.push({
      to: person.email,
      template: planned.template,
      subject: (TEMPLATES[planned.template].subject as (props: typeof renderProps) => string)(renderProps),
      renderProps: renderProps as Record<string, unknown>,
      attachments,
      appointmentId: input.appointmentId,
      appointmentStart: base.start,
      dedupeKey: `${planned.template}:${input.appointmentId}:${input.sequence}:${planned.recipient.id}`,
    })
  }

  if (plan.reminders === 'schedule') {
    const student = input.students.get(input.current.student)
    if (student?.email) {
      const start = instant(input.current.start)
      for (const due of reminderDueTimes({ start, offsetsMinutes: input.reminderOffsetsMinutes, bookedAt: input.at })) {
        const renderProps: TemplateProps[typeof REMINDER_TEMPLATE] = { ...facts(input.current, student.timeZone || 'UTC', { manageUrl: input.manageUrl, locale: languageOf(student) }), offsetMinutes: due.offsetMinutes }
        messages.push({
          to: student.email,
          template: REMINDER_TEMPLATE,
          subject: TEMPLATES[REMINDER_TEMPLATE].subject(renderProps),
          renderProps,
          attachments: [],
          appointmentId: input.appointmentId,
          appointmentStart: start,
          dedupeKey: reminderDedupeKey(input.appointmentId, start, due.offsetMinutes),
          sendAt: due.dueAt,
        })
      }
    }
  }

  // A new booking has no reminders yet: nothing to cancel (and looking would scan the queue on FerretDB).
  const cancelRemindersBecause =
    plan.reminders === 'keep' || !input.previous
      ? undefined
      : plan.reminders === 'cancel'
        ? `Not sent: the appointment is ${input.current.status}.`
        : 'Not sent: the appointment changed; reminders were queued again.'
  return { messages, ...(cancelRemindersBecause ? { cancelRemindersBecause } : {}) }
}
