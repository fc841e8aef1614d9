import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { mongooseAdapter } from '@payloadcms/db-mongodb'
import { nodemailerAdapter } from '@payloadcms/email-nodemailer'
import { buildConfig } from 'payload'

import { Appointments } from '../collections/Appointments'
import { Emails } from '../collections/Emails'
import { Students } from '../collections/Students'
import { Tutors } from '../collections/Tutors'
import { Users } from '../collections/Users'
import { ZONED_DISPLAY_FORMAT } from '../collections/fields/dates'
import { outboxEmailAdapter } from './email/outboxAdapter'
import { exposeErrorCodes } from './http/afterError'
import { createSesTransport, sesSettingsFromEnv } from './email/sesTransport'
import { allowedOrigins, databaseURI, isProduction, payloadSecret, serverURL } from './lib/env'
import { payloadLoggerConfig } from './lib/logger'
import { withConjunctionsLifted } from './storage/liftConjunctions'

const dirname = path.dirname(fileURLToPath(import.meta.url))

export default buildConfig({
  serverURL: serverURL(),
  secret: payloadSecret(),
  admin: {
    user: Users.slug,
    importMap: { baseDir: dirname },
    // Payload's own account icon: the default, Gravatar, sends a hash of each staff member's email to a third party.
    avatar: 'default',
    meta: { titleSuffix: ' · TutorTrack' },
    components: {
      // The day's sessions, the week's bookings, cancellations and mail in trouble, above the collection cards.
      beforeDashboard: ['/admin/dashboard/Dashboard#Dashboard'],
      views: {
        calendar: { Component: '/admin/calendar/CalendarView#CalendarView', path: '/calendar', meta: { title: 'Calendar' } },
      },
      // A custom view gets no nav entry by itself.
      afterNavLinks: ['/admin/nav/CalendarNavLink#CalendarNavLink'],
    },
    // Every date the admin shows (created/updated columns) names the viewer's zone offset.
    dateFormat: ZONED_DISPLAY_FORMAT,
  },
  collections: [Users, Students, Tutors, Appointments, Emails],
  // On the local FerretDB stand-in, `$and` terms are lifted so PostgreSQL can use its indexes (docs/storage.md).
  db: withConjunctionsLifted(
    mongooseAdapter({
      url: databaseURI(),
      // FerretDB and standalone MongoDB have no multi-document transactions; nothing here relies on them.
      transactionOptions: false,
    }),
  ),
  // Every message becomes an outbox document (collections/Emails/index.ts) first; the dispatcher sends it through
  // the nodemailer SES v2 transport in the background (src/email/dispatcher.ts).
  email: outboxEmailAdapter(
    nodemailerAdapter({
      defaultFromAddress: process.env.EMAIL_FROM_ADDRESS || 'no-reply@tutortrack.local',
      defaultFromName: process.env.EMAIL_FROM_NAME || 'TutorTrack',
      skipVerify: true,
      transport: createSesTransport(sesSettingsFromEnv()),
    }),
  ),
  hooks: { afterError: [exposeErrorCodes] },
  cors: allowedOrigins(),
  csrf: allowedOrigins(),
  graphQL: { disablePlaygroundInProduction: true },
  telemetry: false,
  // One JSON object per line in production (log shippers, audit trail); pretty output in development. Each line
  // names its request; a storage outage is one warning per refused request (src/lib/logger.ts).
  logger: payloadLoggerConfig(isProduction()),
  typescript: { outputFile: path.resolve(dirname, 'payload-types.ts') },
})
