import type { CollectionConfig } from 'payload'

import { staffOrOwnAppointments, verifiedStudentsAndAdmins } from './access/appointments'
import { adminsOnly } from '../src/access/roles'
import { dateAnd } from './fields/validators'
import { assignBookingStudent } from '../hooks/appointments/assignBookingStudent'
import { auditAppointmentChange, auditAppointmentDelete } from '../hooks/appointments/auditAppointmentChange'
import { copyMeetingLocation } from '../hooks/appointments/copyMeetingLocation'
import { deriveEndFromDuration } from '../hooks/appointments/deriveEndFromDuration'
import { describeAppointment } from '../hooks/appointments/describeAppointment'
import { enforceBookingRules } from '../hooks/appointments/enforceBookingRules'
import { markCalendarsChanged, markCalendarsChangedOnDelete } from '../hooks/appointments/markCalendarsChanged'
import { dropMailIntentOfFailedWrite, queueAppointmentEmails, recordMailIntent } from '../hooks/appointments/queueAppointmentEmails'
import {
  markDeletedTimeToRelease,
  markTimeToRelease,
  releaseDeletedTime,
  releaseTimeOfFailedWrite,
  releaseUnneededTime,
} from '../hooks/appointments/releaseClaimedTime'
import { bookAppointmentEndpoint } from '../src/booking/endpoints/bookAppointment'
import { cancelAppointmentEndpoint, rescheduleAppointmentEndpoint } from '../src/booking/endpoints/changeAppointment'

export const APPOINTMENT_STATUSES = [
  { label: 'Booked', value: 'booked' },
  { label: 'Cancelled', value: 'cancelled' },
  { label: 'Completed', value: 'completed' },
  { label: 'No-show', value: 'no_show' },
] as const

/** A session between a student and a tutor. Times are UTC instants; the booking rules live in src/scheduling. */
export const Appointments: CollectionConfig = {
  slug: 'appointments',
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'start', 'tutor', 'student', 'status'],
    group: 'Tutoring',
    description: 'Booked sessions. Times are stored in UTC and shown in your browser\'s time zone.',
  },
  defaultSort: 'start',
  timestamps: true,
  access: {
    read: staffOrOwnAppointments,
    create: verifiedStudentsAndAdmins,
    update: adminsOnly,
    delete: adminsOnly,
  },
  endpoints: [bookAppointmentEndpoint, cancelAppointmentEndpoint, rescheduleAppointmentEndpoint],
  hooks: {
    beforeValidate: [assignBookingStudent, deriveEndFromDuration],
    beforeChange: [enforceBookingRules, markTimeToRelease, copyMeetingLocation, describeAppointment, recordMailIntent],
    beforeDelete: [markDeletedTimeToRelease],
    afterChange: [markCalendarsChanged, releaseUnneededTime, queueAppointmentEmails, auditAppointmentChange],
    afterDelete: [markCalendarsChangedOnDelete, releaseDeletedTime, auditAppointmentDelete],
    afterError: [releaseTimeOfFailedWrite, dropMailIntentOfFailedWrite],
  },
  // The booking rules look up a tutor's or a student's sessions by time: keep those reads on an index.
  indexes: [{ fields: ['tutor', 'status', 'start'] }, { fields: ['student', 'status', 'start'] }],
  fields: [
    { name: 'title', type: 'text', admin: { readOnly: true, hidden: true } },
    {
      // Names the time claims this appointment holds (see src/booking/claimStore.ts); also the calendar UID.
      name: 'bookingKey',
      type: 'text',
      unique: true,
      index: true,
      admin: { readOnly: true, hidden: true },
    },
    {
      type: 'row',
      fields: [
        { name: 'tutor', type: 'relationship', relationTo: 'tutors', required: true, index: true },
        { name: 'student', type: 'relationship', relationTo: 'students', required: true, index: true },
      ],
    },
    {
      type: 'row',
      fields: [
        { name: 'start', type: 'date', required: true, index: true, admin: { date: { pickerAppearance: 'dayAndTime' } } },
        {
          name: 'end',
          type: 'date',
          required: true,
          index: true,
          admin: { date: { pickerAppearance: 'dayAndTime' } },
          validate: dateAnd((value: unknown, { siblingData }: { siblingData: Record<string, unknown> }) => {
            const start = new Date(String(siblingData.start)).getTime()
            const end = new Date(String(value)).getTime()
            if (!Number.isFinite(end)) return 'End must be a date-time, e.g. 2026-12-01T15:00:00Z.'
            if (Number.isFinite(start) && end <= start) return 'End must be after start.'
            return true
          }),
        },
      ],
    },
    {
      name: 'status',
      type: 'select',
      defaultValue: 'booked',
      index: true,
      options: [...APPOINTMENT_STATUSES],
      admin: { position: 'sidebar' },
    },
    { name: 'notes', type: 'textarea', maxLength: 2000, admin: { description: 'What the student wants to work on.' } },
    { name: 'meetingLocation', type: 'text', maxLength: 500, admin: { description: 'Copied from the tutor when booked.' } },
    {
      name: 'cancellation',
      type: 'group',
      admin: { condition: (data) => data?.status === 'cancelled', description: 'Who cancelled, when and why.' },
      fields: [
        {
          name: 'by',
          type: 'select',
          options: [
            { label: 'Student', value: 'student' },
            { label: 'Admin', value: 'admin' },
            { label: 'Tutor', value: 'tutor' },
          ],
        },
        { name: 'at', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'reason', type: 'textarea', maxLength: 1000 },
      ],
    },
  ],
}
