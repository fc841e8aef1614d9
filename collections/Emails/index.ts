import type { CollectionConfig, FieldAccess } from 'payload'

import { adminsOnly, isAdminUser } from '../../src/access/roles'
import { TEMPLATES, TEMPLATE_NAMES } from '../../email-templates'
import { guardEmailStatusChange, kickRequeuedEmail } from '../../hooks/emails/requeueEmail'
import { requeueEmailEndpoint } from './endpoints/requeueEmail'
import { ZONED_DATE, zonedTimestamps, ZONED_DATE_CELL, VIEWER_ZONE_FIELD } from '../fields/dates'

export const EMAIL_STATUSES = [
  { label: 'Queued', value: 'queued' },
  { label: 'Sending', value: 'sending' },
  { label: 'Sent', value: 'sent' },
  { label: 'Failed', value: 'failed' },
  { label: 'Cancelled', value: 'cancelled' },
] as const

const nobody: FieldAccess = () => false
const adminsRead: FieldAccess = ({ req }) => isAdminUser(req)
/** Written only by the outbox and the dispatcher (through the database driver), never through the API. */
const systemField = { access: { create: nobody, update: nobody }, admin: { readOnly: true } }

/**
 * The outbox: one document per email TutorTrack sends (appointment mail, reminders, Payload's own verify and
 * reset mails), with its delivery state. Admins can read it; admins can re-queue a failed message by setting
 * its status back to Queued (or POST /api/emails/:id/requeue). See src/email/dispatcher.ts and docs/email.md.
 */
export const Emails: CollectionConfig = {
  slug: 'emails',
  labels: { singular: 'Email', plural: 'Emails' },
  admin: {
    group: 'Operations',
    useAsTitle: 'subject',
    defaultColumns: ['subject', 'to', 'template', 'status', 'attempts', 'nextAttemptAt', 'sentAt', 'lastError'],
    listSearchableFields: ['to', 'subject', 'dedupeKey'],
    description: 'Every email TutorTrack sends and its delivery state. To retry a failed email, set its status to Queued and save.',
  },
  defaultSort: '-createdAt',
  timestamps: true,
  access: {
    // Admins only: every message names its recipient, and most carry a student's or tutor's details.
    read: adminsOnly,
    create: () => false,
    update: adminsOnly,
    delete: adminsOnly,
  },
  endpoints: [requeueEmailEndpoint],
  hooks: {
    beforeChange: [guardEmailStatusChange],
    afterChange: [kickRequeuedEmail],
  },
  indexes: [{ fields: ['status', 'nextAttemptAt'] }],
  fields: [
    { name: 'to', type: 'text', required: true, index: true, ...systemField },
    {
      name: 'template',
      type: 'select',
      required: true,
      index: true,
      options: [...TEMPLATE_NAMES.map((name) => ({ label: TEMPLATES[name].label, value: name })), { label: 'Other', value: 'other' }],
      ...systemField,
    },
    { name: 'subject', type: 'text', required: true, ...systemField },
    {
      name: 'status',
      type: 'select',
      required: true,
      defaultValue: 'queued',
      index: true,
      options: [...EMAIL_STATUSES],
      admin: {
        position: 'sidebar',
        description: 'Set a Failed or Cancelled email to Queued to send it again; set a Queued one to Cancelled to stop it.',
      },
    },
    {
      type: 'row',
      fields: [
        { name: 'attempts', type: 'number', defaultValue: 0, ...systemField, admin: { readOnly: true, position: 'sidebar' } },
        { name: 'nextAttemptAt', type: 'date', index: true, ...systemField, admin: { readOnly: true, position: 'sidebar', date: ZONED_DATE.date, components: { Field: VIEWER_ZONE_FIELD, Cell: ZONED_DATE_CELL } } },
      ],
    },
    { name: 'sentAt', type: 'date', ...systemField, admin: { readOnly: true, position: 'sidebar', date: ZONED_DATE.date, components: { Field: VIEWER_ZONE_FIELD, Cell: ZONED_DATE_CELL } } },
    { name: 'sesMessageId', type: 'text', label: 'SES message ID', ...systemField, admin: { readOnly: true, position: 'sidebar' } },
    { name: 'lastError', type: 'textarea', ...systemField },
    { name: 'appointment', type: 'relationship', relationTo: 'appointments', index: true, ...systemField },
    { name: 'appointmentStart', type: 'date', ...systemField, admin: { readOnly: true, description: 'Reminders are only sent while the session is booked at this start.', date: ZONED_DATE.date, components: { Field: VIEWER_ZONE_FIELD, Cell: ZONED_DATE_CELL } } },
    { name: 'dedupeKey', type: 'text', required: true, unique: true, index: true, ...systemField },
    { name: 'from', type: 'text', ...systemField },
    {
      name: 'html',
      type: 'code',
      ...systemField,
      access: { create: nobody, update: nobody, read: adminsRead },
      admin: { readOnly: true, language: 'html' },
    },
    { name: 'text', type: 'textarea', ...systemField, access: { create: nobody, update: nobody, read: adminsRead } },
    {
      name: 'attachments',
      type: 'array',
      ...systemField,
      access: { create: nobody, update: nobody, read: adminsRead },
      fields: [
        { name: 'filename', type: 'text' },
        { name: 'contentType', type: 'text' },
        { name: 'method', type: 'text' },
        { name: 'content', type: 'textarea' },
      ],
    },
    // Reminders are stored with their template props and rendered when they fall due (src/email/dispatcher.ts).
    { name: 'renderProps', type: 'json', ...systemField, admin: { readOnly: true, hidden: true } },
    { name: 'sensitive', type: 'checkbox', ...systemField, admin: { readOnly: true, hidden: true } },
    { name: 'leaseUntil', type: 'date', ...systemField, admin: { readOnly: true, hidden: true } },
    { name: 'lastAttemptAt', type: 'date', ...systemField, admin: { readOnly: true, hidden: true } },
    { name: 'attemptsBeforeRequeue', type: 'number', defaultValue: 0, ...systemField, admin: { readOnly: true, hidden: true } },
    {
      name: 'requeuedBy',
      type: 'text',
      ...systemField,
      admin: { readOnly: true, position: 'sidebar', condition: (data) => Boolean(data?.requeuedBy) },
    },
    ...zonedTimestamps,
  ],
}
