import type { CollectionConfig } from 'payload'

import { adminsOnly } from '../../src/access/roles'
import { APPOINTMENT_STATUSES, BOOKED } from '../../src/scheduling'
import { ZONED_DATE, zonedTimestamps, ZONED_DATE_CELL } from '../fields/dates'
import { RULE_REFUSAL_ON_FIELD } from '../fields/ruleRefusals'
import { dateAnd } from '../fields/validators'
import { assignBookingStudent } from '../../hooks/appointments/assignBookingStudent'
import { auditAppointmentChange, auditAppointmentDelete } from '../../hooks/appointments/auditAppointmentChange'
import { copyMeetingLocation } from '../../hooks/appointments/copyMeetingLocation'
import { deriveEndFromDuration } from '../../hooks/appointments/deriveEndFromDuration'
import { describeAppointment } from '../../hooks/appointments/describeAppointment'
import { endBookingWriteAfterSave, settleFailedBulkWrites, settleFailedWrite } from '../../hooks/appointments/endBookingWrite'
import { enforceBookingRules } from '../../hooks/appointments/enforceBookingRules'
import { stampCancellation } from '../../hooks/appointments/stampCancellation'
import { showStudentToTutor, tutorsOnly } from '../../hooks/appointments/showStudentToTutor'
import { markCalendarsChanged, markCalendarsChangedOnDelete } from '../../hooks/appointments/markCalendarsChanged'
import { queueAppointmentEmails, recordMailIntent } from '../../hooks/appointments/queueAppointmentEmails'
import {
  markDeletedTimeToRelease,
  markTimeToRelease,
  releaseDeletedTime,
  releaseUnneededTime,
} from '../../hooks/appointments/releaseClaimedTime'
import { adminsOrOwnAppointments, adminsOrTutorsOwnAppointments, notByTutors, verifiedStudentsAndAdmins } from './access'
import { bookAppointmentEndpoint } from './endpoints/bookAppointment'
import { cancelAppointmentEndpoint, rescheduleAppointmentEndpoint } from './endpoints/changeAppointment'
import { messageTutorEndpoint } from './endpoints/messageTutor'

/** The stored end must be a real instant after the start (the booking rules check the length). */
const endAfterStart = dateAnd((value: unknown, { siblingData }: { siblingData: Record<string, unknown> }) => {
  const start = new Date(String(siblingData.start)).getTime()
  const end = new Date(String(value)).getTime()
  if (!Number.isFinite(end)) return 'End must be a date-time, e.g. 2026-12-01T15:00:00Z.'
  if (Number.isFinite(start) && end <= start) return 'End must be after start.'
  return true
})

/** Start and end are entered in the tutor's zone, labelled with it (src/admin/zones). */
const TUTOR_ZONE_PICKER = '/admin/zones/ZonedDateTime#AppointmentDateTime'

/** A session between a student and a tutor. Times are UTC instants; the booking rules live in src/scheduling. */
export const Appointments: CollectionConfig = {
  slug: 'appointments',
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'start', 'tutor', 'student', 'studentName', 'status'],
    group: 'Tutoring',
    description: 'Booked sessions. Times are stored in UTC; the list shows them in your browser\'s zone (named), a session\'s page in the tutor\'s and the student\'s.',
  },
  defaultSort: 'start',
  timestamps: true,
  access: {
    read: adminsOrOwnAppointments,
    create: verifiedStudentsAndAdmins,
    update: adminsOrTutorsOwnAppointments,
    delete: adminsOnly,
  },
  endpoints: [bookAppointmentEndpoint, cancelAppointmentEndpoint, rescheduleAppointmentEndpoint, messageTutorEndpoint],
  // One write's steps, in order; they share the typed write context (src/booking/writeContext.ts).
  hooks: {
    beforeValidate: [
      assignBookingStudent, // before validation: student is required, and a student's request omits it
      deriveEndFromDuration, // before validation: end is required
    ],
    beforeChange: [
      enforceBookingRules, // first: claims the time, sets bookingKey and the write's tutor, student and reserved time
      stampCancellation, // who/when/why of any cancel, before the mail intent reads them
      markTimeToRelease, // needs originalDoc.bookingKey; before the save, so a crash still frees the time
      copyMeetingLocation, // uses the write's tutor
      describeAppointment, // uses the write's tutor
      recordMailIntent, // last: the mail it owes depends on the final data
    ],
    beforeRead: [showStudentToTutor], // a tutor's view of who booked (they cannot read students)
    beforeDelete: [markDeletedTimeToRelease],
    afterChange: [
      markCalendarsChanged, // after the save: calendar stamps must follow the write
      releaseUnneededTime, // after the save: old time is never free while the old booking stands
      queueAppointmentEmails, // uses the write's mail intent, tutor and student
      auditAppointmentChange,
      endBookingWriteAfterSave, // last: a write still open after this step has failed
    ],
    afterOperation: [settleFailedBulkWrites], // a bulk PATCH's failed documents run no afterError
    afterDelete: [markCalendarsChangedOnDelete, releaseDeletedTime, auditAppointmentDelete],
    afterError: [settleFailedWrite], // frees the failed write's time, drops its mail intent
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
        { name: 'tutor', type: 'relationship', relationTo: 'tutors', required: true, index: true, access: { update: notByTutors } },
        {
          name: 'student',
          type: 'relationship',
          relationTo: 'students',
          required: true,
          index: true,
          // A tutor may not read the students collection: they see the student's name and zone below instead.
          access: { read: notByTutors, update: notByTutors },
        },
      ],
    },
    {
      type: 'row',
      fields: [
        { name: 'studentName', type: 'text', virtual: true, access: { read: tutorsOnly, create: () => false, update: () => false }, admin: { readOnly: true } },
        { name: 'studentTimeZone', type: 'text', virtual: true, label: 'Student\'s time zone', access: { read: tutorsOnly, create: () => false, update: () => false }, admin: { readOnly: true } },
      ],
    },
    {
      type: 'row',
      fields: [
        { name: 'start', type: 'date', required: true, index: true, admin: { ...ZONED_DATE, components: { Field: TUTOR_ZONE_PICKER, Cell: ZONED_DATE_CELL } } },
        {
          name: 'end',
          type: 'date',
          required: true,
          index: true,
          admin: { ...ZONED_DATE, components: { Field: TUTOR_ZONE_PICKER, Cell: ZONED_DATE_CELL } },
          validate: endAfterStart,
        },
      ],
    },
    // Not stored: puts a refused save's rule sentence on the field it names (start, student…), beside the toast.
    { name: 'ruleRefusals', type: 'ui', admin: { components: { Field: RULE_REFUSAL_ON_FIELD } } },
    // Not stored: the session's time in the tutor's and in the student's zone, beside the pickers.
    { name: 'zones', type: 'ui', admin: { components: { Field: '/admin/zones/AppointmentZones#AppointmentZones' } } },
    {
      name: 'status',
      type: 'select',
      defaultValue: BOOKED,
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
        // Entered like the session's own times: in the tutor's zone, labelled with it.
        { name: 'at', type: 'date', label: 'Cancelled at', admin: { ...ZONED_DATE, components: { Field: TUTOR_ZONE_PICKER, Cell: ZONED_DATE_CELL } } },
        { name: 'reason', type: 'textarea', maxLength: 1000 },
        {
          // Which account cancelled, whatever role `by` records; stamped by hooks/appointments/stampCancellation.ts.
          type: 'row',
          fields: [
            { name: 'userCollection', type: 'text', label: 'Cancelled by (collection)', access: { create: () => false, update: () => false }, admin: { readOnly: true } },
            { name: 'userId', type: 'text', label: 'Cancelled by (account id)', access: { create: () => false, update: () => false }, admin: { readOnly: true } },
          ],
        },
      ],
    },
    ...zonedTimestamps,
  ],
}
