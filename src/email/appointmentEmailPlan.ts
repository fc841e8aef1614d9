/**
 * Which emails a change to an appointment calls for. Pure: compares the appointment before and after a write.
 */
export type AppointmentSnapshot = {
  status?: string | null
  start: string
  end: string
  tutor: string
  student: string
  meetingLocation?: string | null
}

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

const BOOKED = 'booked'

const instant = (value: string) => Date.parse(value)

export function planAppointmentEmails(previous: AppointmentSnapshot | undefined, current: AppointmentSnapshot): EmailPlan {
  const wasBooked = previous?.status === BOOKED
  const isBooked = current.status === BOOKED
  const studentOf = (id: string) => ({ kind: 'student' as const, id })
  const tutorOf = (id: string) => ({ kind: 'tutor' as const, id })

  if (!wasBooked && isBooked) {
    return {
      emails: [
        { template: 'appointment-confirmed', recipient: studentOf(current.student), version: 'current', invite: 'REQUEST' },
        { template: 'tutor-new-booking', recipient: tutorOf(current.tutor), version: 'current' },
      ],
      reminders: 'schedule',
    }
  }
  if (!previous || !wasBooked) return { emails: [], reminders: 'keep' }

  if (!isBooked) {
    if (current.status !== 'cancelled') return { emails: [], reminders: 'cancel' }
    return {
      emails: [
        { template: 'appointment-cancelled', recipient: studentOf(previous.student), version: 'current', invite: 'CANCEL' },
        { template: 'tutor-booking-cancelled', recipient: tutorOf(previous.tutor), version: 'current' },
      ],
      reminders: 'cancel',
    }
  }

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
