import type { TextField } from 'payload'

import { isValidTimeZone, timeZoneErrorMessage } from '../../src/scheduling/timeZones'
import { textAnd, unlessEmpty } from './validators'

/** An IANA time-zone name, stored exactly as given (never ICU's alias, e.g. Asia/Kolkata stays Asia/Kolkata). */
export const timeZoneField = (overrides: { name?: string; admin?: { description?: string } } = {}): TextField => ({
  name: overrides.name ?? 'timeZone',
  type: 'text',
  required: true,
  defaultValue: 'UTC',
  maxLength: 64,
  validate: textAnd(unlessEmpty((value: unknown) => (isValidTimeZone(value) ? true : timeZoneErrorMessage(value)))),
  admin: { description: overrides.admin?.description ?? 'IANA time zone, e.g. Europe/London or America/New_York.' },
})
