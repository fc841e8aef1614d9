import { IANAZone } from 'luxon'

/**
 * True when `name` is an IANA time-zone name this runtime can compute with.
 * Built on construction (Luxon's IANAZone), not on Intl.supportedValuesOf('timeZone'):
 * on Node 20 that list lacks valid names such as Asia/Kolkata and Europe/Kyiv.
 */
export function isValidTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return false
  if (knownValid.has(name)) return true
  // Offsets like "+05:30" or "UTC+2" construct fine but are not zone names a person picks.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false
  if (!IANAZone.isValidZone(name)) return false
  // Checking builds a formatter: a tenth of a slot search's CPU. The zones are a few hundred names, so the ones
  // found valid are remembered; invalid ones are not, and the set is capped (Intl accepts any letter case, so a
  // client could otherwise fill it with spellings of one zone).
  if (knownValid.size < MAX_REMEMBERED) knownValid.add(name)
  return true
}

const MAX_REMEMBERED = 2_000
const knownValid = new Set<string>()

export const timeZoneErrorMessage = (name: unknown): string =>
  `"${String(name)}" is not a valid IANA time zone. Use a name such as "Europe/London" or "America/New_York".`
