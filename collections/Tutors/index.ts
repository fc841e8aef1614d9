import type { CollectionConfig } from 'payload'

import { activeTutorsOrStaff, adminsDelete, editorsAdminsOrOwnTutor, editorsAndAdmins, officeStaffField, staffOrSelfTutor } from './access'
import { timeZoneField } from '../fields/timeZone'
import { ZONED_DATE, zonedTimestamps } from '../fields/dates'
import { RULE_REFUSAL_ON_FIELD } from '../fields/ruleRefusals'
import { dateAnd, numberAnd, textAnd, unlessEmpty } from '../fields/validators'
import { deriveTutorSlug } from '../../hooks/tutors/deriveTutorSlug'
import { CANCEL_STRANDED_FIELD, CANCEL_STRANDED_LABEL, cancelStrandedSessions, refuseStrandingBookedSessions } from '../../hooks/tutors/protectBookedSessions'
import { markTutorProfileChanged, markTutorProfileChangedOnDelete } from '../../hooks/tutors/markTutorChanged'
import { tutorAvailabilityEndpoint } from './endpoints/tutorAvailability'
import { SUBJECTS } from '../../src/catalog/subjects'
import { GRANULE_MINUTES, isPositiveGranuleMultiple } from '../../src/scheduling/policy'
import { isLocalTime, WEEKDAYS } from '../../src/scheduling/weeklyRules'
import { duplicateDates, isLocalDate, rangesProblem } from '../../src/scheduling/dateOverrides'

/** Booking times live on a 5-minute grid (see src/scheduling/policy.ts); lengths and buffers must fit it. */
const onGranuleGrid = (value: unknown, { allowZero = false } = {}): true | string => {
  if (value === null || value === undefined || value === '') return true
  const values = Array.isArray(value) ? value : [value]
  const bad = values.find((minutes) => !((allowZero && minutes === 0) || isPositiveGranuleMultiple(Number(minutes))))
  return bad === undefined ? true : `Use a multiple of ${GRANULE_MINUTES} minutes (${String(bad)} is not).`
}

/** Time off is entered in the tutor's zone, labelled with it (src/admin/zones). */
const TUTOR_ZONE_PICKER = '/admin/zones/ZonedDateTime#TutorZoneDateTime'

const HTTP_URL = /^https?:\/\/[^\s]+$/i

/**
 * Private fields: only office staff and the tutor themself read them. The slot search is the public
 * view of a tutor's time; a booked student gets the meeting place on their own appointment.
 */
const privateField = { access: { read: staffOrSelfTutor } }

/** Tutor profiles: who they are, what they teach, and when they can be booked. */
export const Tutors: CollectionConfig = {
  slug: 'tutors',
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'subjects', 'timeZone', 'active', 'updatedAt'],
    group: 'Tutoring',
    description: 'Tutor profiles, weekly availability and time off. Only active tutors are shown to students.',
  },
  defaultSort: 'name',
  access: {
    read: activeTutorsOrStaff,
    create: editorsAndAdmins,
    update: editorsAdminsOrOwnTutor,
    delete: adminsDelete,
  },
  endpoints: [tutorAvailabilityEndpoint],
  hooks: {
    beforeValidate: [deriveTutorSlug],
    beforeChange: [refuseStrandingBookedSessions], // after validation: the new hours are well-formed
    afterChange: [
      markTutorProfileChanged, // first: the booking rules read the new hours from here on
      cancelStrandedSessions, // after the save: the sessions the writer chose to cancel
    ],
    afterDelete: [markTutorProfileChangedOnDelete],
  },
  fields: [
    // Not stored: puts a refused save's rule sentence (hours that strand sessions) on the field it names.
    { name: 'ruleRefusals', type: 'ui', admin: { components: { Field: RULE_REFUSAL_ON_FIELD } } },
    {
      type: 'row',
      fields: [
        { name: 'name', type: 'text', required: true, maxLength: 120 },
        {
          name: 'slug',
          type: 'text',
          required: true,
          unique: true,
          index: true,
          maxLength: 140,
          validate: textAnd(
            unlessEmpty((value: string) =>
              /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value) ? true : 'Use lowercase letters, digits and single hyphens, e.g. "ada-lovelace".',
            ),
          ),
          admin: { description: 'Used in the booking site address. Filled from the name when left empty.' },
        },
      ],
    },
    { name: 'active', type: 'checkbox', defaultValue: true, index: true, access: { update: officeStaffField }, admin: { position: 'sidebar', description: 'Inactive tutors are hidden from students and cannot be booked.' } },
    { name: 'bio', type: 'textarea', maxLength: 4000 },
    {
      name: 'subjects',
      type: 'select',
      hasMany: true,
      required: true,
      index: true,
      options: SUBJECTS.map((subject) => ({ label: subject.label, value: subject.value })),
    },
    {
      name: 'photoUrl',
      type: 'text',
      maxLength: 500,
      validate: textAnd(unlessEmpty((value: string) => (HTTP_URL.test(value) ? true : 'Enter an http(s) URL for the photo.'))),
      admin: { description: 'A link to the tutor\'s photo (kept as a URL so every replica serves the same file).' },
    },
    { name: 'contactEmail', type: 'email', required: true, ...privateField, admin: { description: 'Booking notices go to this address. Private: staff and the tutor only.' } },
    timeZoneField({ admin: { description: 'Weekly availability is in this IANA time zone, e.g. Asia/Kolkata.' } }),
    {
      type: 'collapsible',
      label: 'Availability',
      fields: [
        {
          name: 'weeklyAvailability',
          type: 'array',
          labels: { singular: 'Range', plural: 'Ranges' },
          admin: {
            description: 'Bookable ranges in the tutor\'s local time; several per day are fine.',
            // A compact week grid instead of one block per range; it edits these same rows (src/admin/availability).
            components: { Field: '/admin/availability/WeekGrid#WeekGrid' },
          },
          fields: [
            {
              type: 'row',
              fields: [
                { name: 'day', type: 'select', required: true, options: WEEKDAYS.map((day) => ({ label: day.label, value: day.value })) },
                {
                  name: 'start',
                  type: 'text',
                  required: true,
                  admin: { placeholder: '09:00' },
                  validate: textAnd(unlessEmpty((value: string) => (isLocalTime(value) ? true : 'Use 24-hour HH:mm, e.g. 09:00.'))),
                },
                {
                  name: 'end',
                  type: 'text',
                  required: true,
                  admin: { placeholder: '17:00' },
                  validate: textAnd(
                    unlessEmpty((value: string, { siblingData }: { siblingData: Record<string, unknown> }) => {
                      if (!isLocalTime(value, { allowEndOfDay: true })) return 'Use 24-hour HH:mm, e.g. 17:00 (24:00 for midnight).'
                      if (isLocalTime(siblingData.start) && value <= siblingData.start) return 'End must be after start.'
                      return true
                    }),
                  ),
                },
              ],
            },
          ],
        },
        {
          name: 'dateOverrides',
          type: 'array',
          labels: { singular: 'Date override', plural: 'Date overrides' },
          admin: {
            description: "Different hours on one date, in the tutor's local time; they replace that day's weekly hours. No ranges: unavailable all day.",
            // A compact list with the ranges inline and an "unavailable all day" toggle (src/admin/availability).
            components: { Field: '/admin/availability/DateOverrides#DateOverrides' },
          },
          validate: (value: unknown) => {
            const duplicates = duplicateDates(Array.isArray(value) ? (value as { date?: unknown }[]) : [])
            return duplicates.length === 0 ? true : `Each date may have one override only (${duplicates.join(', ')} appears twice).`
          },
          fields: [
            {
              type: 'row',
              fields: [
                {
                  name: 'date',
                  type: 'text',
                  required: true,
                  admin: { placeholder: 'YYYY-MM-DD' },
                  validate: textAnd(unlessEmpty((value: string) => (isLocalDate(value) ? true : 'Use a date written YYYY-MM-DD, e.g. 2026-12-24.'))),
                },
                { name: 'reason', type: 'text', maxLength: 200, ...privateField },
              ],
            },
            {
              name: 'ranges',
              type: 'array',
              labels: { singular: 'Range', plural: 'Ranges' },
              admin: { description: 'Leave empty for unavailable all day.' },
              validate: (value: unknown) => {
                const problem = rangesProblem(Array.isArray(value) ? (value as { start?: unknown; end?: unknown }[]) : [])
                // Malformed single times are reported on their own field below; this catches overlaps.
                return problem === undefined || !problem.includes('overlap') ? true : problem
              },
              fields: [
                {
                  type: 'row',
                  fields: [
                    {
                      name: 'start',
                      type: 'text',
                      required: true,
                      admin: { placeholder: '09:00' },
                      validate: textAnd(unlessEmpty((value: string) => (isLocalTime(value) ? true : 'Use 24-hour HH:mm, e.g. 09:00.'))),
                    },
                    {
                      name: 'end',
                      type: 'text',
                      required: true,
                      admin: { placeholder: '17:00' },
                      validate: textAnd(
                        unlessEmpty((value: string, { siblingData }: { siblingData: Record<string, unknown> }) => {
                          if (!isLocalTime(value, { allowEndOfDay: true })) return 'Use 24-hour HH:mm, e.g. 17:00 (24:00 for midnight).'
                          if (isLocalTime(siblingData.start) && value <= siblingData.start) return 'End must be after start.'
                          return true
                        }),
                      ),
                    },
                  ],
                },
              ],
            },
          ],
        },
        {
          name: 'timeOff',
          type: 'array',
          ...privateField,
          labels: { singular: 'Time off', plural: 'Time off' },
          admin: { description: 'Whole days or part of a day when the tutor cannot be booked. Private: staff and the tutor only (students see only the open slots).' },
          fields: [
            {
              type: 'row',
              fields: [
                { name: 'start', type: 'date', required: true, admin: { ...ZONED_DATE, components: { Field: TUTOR_ZONE_PICKER } } },
                {
                  name: 'end',
                  type: 'date',
                  required: true,
                  admin: { ...ZONED_DATE, components: { Field: TUTOR_ZONE_PICKER } },
                  validate: dateAnd((value: unknown, { siblingData }: { siblingData: Record<string, unknown> }) =>
                    endsAfterStart(siblingData.start, value) ? true : 'End must be after start.',
                  ),
                },
                { name: 'reason', type: 'text', maxLength: 200 },
              ],
            },
          ],
        },
        {
          // Not stored: a choice for this one save, so it works from REST and from the admin form alike.
          name: CANCEL_STRANDED_FIELD,
          type: 'checkbox',
          virtual: true,
          label: CANCEL_STRANDED_LABEL,
          admin: {
            readOnly: false,
            description: 'Tick only if saving new hours or time off is refused over booked sessions: those sessions are cancelled and the students and the tutor are told.',
          },
        },
        {
          name: 'sessionLengths',
          type: 'number',
          hasMany: true,
          required: true,
          min: 15,
          max: 240,
          defaultValue: [60],
          validate: numberAnd((value: unknown) => onGranuleGrid(value)),
          admin: { description: 'Session lengths offered, in minutes (15–240).' },
        },
      ],
    },
    {
      type: 'collapsible',
      label: 'Booking policy',
      admin: { initCollapsed: true, description: 'Leave empty to use the defaults.' },
      fields: [
        {
          name: 'policy',
          type: 'group',
          fields: [
            { type: 'row', fields: [
              { name: 'slotIntervalMinutes', type: 'number', min: 5, max: 240, validate: numberAnd((value: unknown) => onGranuleGrid(value)), admin: { description: 'Start times every N minutes (default 30).' } },
              { name: 'minimumNoticeHours', type: 'number', min: 0, max: 24 * 30, admin: { description: 'Earliest booking from now (default 12).' } },
              { name: 'bookingHorizonDays', type: 'number', min: 1, max: 365, admin: { description: 'Latest booking from now (default 60).' } },
            ] },
            { type: 'row', fields: [
              { name: 'bufferBeforeMinutes', type: 'number', min: 0, max: 240, validate: numberAnd((value: unknown) => onGranuleGrid(value, { allowZero: true })), admin: { description: 'Free time kept before a session (default 0).' } },
              { name: 'bufferAfterMinutes', type: 'number', min: 0, max: 240, validate: numberAnd((value: unknown) => onGranuleGrid(value, { allowZero: true })), admin: { description: 'Free time kept after a session (default 0).' } },
              { name: 'cancellationCutoffHours', type: 'number', min: 0, max: 24 * 14, admin: { description: 'Students cancel up to N hours before (default 24).' } },
            ] },
          ],
        },
      ],
    },
    { name: 'meetingLocation', type: 'text', maxLength: 500, ...privateField, admin: { description: 'Default place or video link, copied onto each booking. Private: a student sees it on their own booking only.' } },
    {
      // Not stored: the admin's "Invite to sign in" (creates the tutor's account, mails a set-password link).
      name: 'inviteTutor',
      type: 'ui',
      admin: {
        position: 'sidebar',
        condition: (_data, _siblingData, { user }) => (user as { collection?: string; role?: string } | null)?.role === 'admin',
        components: { Field: '/admin/tutorInvite/InviteTutorButton#InviteTutorButton' },
      },
    },
    { name: 'hourlyRate', type: 'number', min: 0, max: 10000, admin: { position: 'sidebar', description: 'Shown to students (display only).' } },
    ...zonedTimestamps,
  ],
}

function endsAfterStart(start: unknown, end: unknown): boolean {
  if (!start || !end) return true
  const startMs = new Date(String(start)).getTime()
  const endMs = new Date(String(end)).getTime()
  return Number.isFinite(startMs) && Number.isFinite(endMs) && endMs > startMs
}
