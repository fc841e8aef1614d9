import type { TextField } from 'payload'

import { isValidTimeZone, timeZoneErrorMessage } from '../../src/scheduling/timeZones'

/** An IANA time-zone name, stored exactly as given (never ICU's alias, e.g. Asia/Kolkata stays Asia/Kolkata). */
export const timeZoneField = (overrides: Partial<TextField> = {}): TextField => ({
  name: 'timeZone',
  type: 'text',
  required: true,
  defaultValue: 'UTC',
  validate: (value: unknown) => (isValidTimeZone(value) ? true : timeZoneErrorMessage(value)),
  admin: { description: 'IANA time zone, e.g. Europe/London or America/New_York.' },
  ...overrides,
})
