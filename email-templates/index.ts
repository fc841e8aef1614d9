/**
 * Every email TutorTrack sends, by template name: a React Email component (HTML) and a subject line.
 * The plain-text part is derived from the rendered HTML (src/email/render.ts).
 */
import { createElement, type ReactElement } from 'react'

import { AppointmentCancelled, appointmentCancelledSubject, type AppointmentCancelledProps } from './AppointmentCancelled'
import { AppointmentConfirmed, appointmentConfirmedSubject, type AppointmentConfirmedProps } from './AppointmentConfirmed'
import { AppointmentReminder, appointmentReminderSubject, type AppointmentReminderProps } from './AppointmentReminder'
import { AppointmentRescheduled, appointmentRescheduledSubject, type AppointmentRescheduledProps } from './AppointmentRescheduled'
import { ResetPassword, resetPasswordSubject, type ResetPasswordProps } from './ResetPassword'
import { StaffInvite, staffInviteSubject, type StaffInviteProps } from './StaffInvite'
import { TutorBookingCancelled, tutorBookingCancelledSubject, type TutorBookingCancelledProps } from './TutorBookingCancelled'
import { TutorBookingRescheduled, tutorBookingRescheduledSubject, type TutorBookingRescheduledProps } from './TutorBookingRescheduled'
import { TutorNewBooking, tutorNewBookingSubject, type TutorNewBookingProps } from './TutorNewBooking'
import { TutorStudentMessage, tutorStudentMessageSubject, type TutorStudentMessageProps } from './TutorStudentMessage'
import { VerifyEmail, verifyEmailSubject, type VerifyEmailProps } from './VerifyEmail'

export type { SessionFacts } from './components/SessionDetails'

export type TemplateProps = {
  'verify-email': VerifyEmailProps
  'reset-password': ResetPasswordProps
  'appointment-confirmed': AppointmentConfirmedProps
  'appointment-reminder': AppointmentReminderProps
  'appointment-rescheduled': AppointmentRescheduledProps
  'appointment-cancelled': AppointmentCancelledProps
  'tutor-new-booking': TutorNewBookingProps
  'tutor-booking-rescheduled': TutorBookingRescheduledProps
  'tutor-booking-cancelled': TutorBookingCancelledProps
  'staff-invite': StaffInviteProps
  'tutor-student-message': TutorStudentMessageProps
}

export type TemplateName = keyof TemplateProps

type TemplateDefinition<P> = { label: string; subject: (props: P) => string; element: (props: P) => ReactElement }

const define = <P extends object>(label: string, Component: (props: P) => ReactElement, subject: (props: P) => string): TemplateDefinition<P> => ({
  label,
  subject,
  element: (props) => createElement(Component, props),
})

export const TEMPLATES: { [K in TemplateName]: TemplateDefinition<TemplateProps[K]> } = {
  'verify-email': define('Verify email', VerifyEmail, verifyEmailSubject),
  'reset-password': define('Reset password', ResetPassword, resetPasswordSubject),
  'appointment-confirmed': define('Appointment confirmed', AppointmentConfirmed, appointmentConfirmedSubject),
  'appointment-reminder': define('Appointment reminder', AppointmentReminder, appointmentReminderSubject),
  'appointment-rescheduled': define('Appointment rescheduled', AppointmentRescheduled, appointmentRescheduledSubject),
  'appointment-cancelled': define('Appointment cancelled', AppointmentCancelled, appointmentCancelledSubject),
  'tutor-new-booking': define('Tutor: new booking', TutorNewBooking, tutorNewBookingSubject),
  'tutor-booking-rescheduled': define('Tutor: booking moved', TutorBookingRescheduled, tutorBookingRescheduledSubject),
  'tutor-booking-cancelled': define('Tutor: booking cancelled', TutorBookingCancelled, tutorBookingCancelledSubject),
  'staff-invite': define('Staff invitation', StaffInvite, staffInviteSubject),
  'tutor-student-message': define('Tutor: message from a student', TutorStudentMessage, tutorStudentMessageSubject),
}

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[]
