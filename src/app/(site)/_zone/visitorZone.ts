import { cookies, headers } from 'next/headers'

import { isValidTimeZone } from '../../../scheduling'

/** The visitor's IANA zone: the browser reports it (ZoneDetector), the zone picker changes it; ?tz= overrides it. */
export const ZONE_COOKIE = 'tz'

const firstOf = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''))

/** The zone a page's address names (?tz=), when it is a real one. */
export function zoneParam(params: Record<string, string | string[] | undefined>): string | null {
  const zone = firstOf(params.tz)
  return isValidTimeZone(zone) ? zone : null
}

/** ?tz= first, then the cookie the browser set; null when neither names a real zone (first visit, no JS). */
export async function visitorZone(params: Record<string, string | string[] | undefined>): Promise<string | null> {
  const fromCookie = (await cookies()).get(ZONE_COOKIE)?.value
  return zoneParam(params) ?? (isValidTimeZone(fromCookie) ? fromCookie : null)
}

/** Every zone the picker offers, with the current ones included even if this runtime's list lacks them (UTC). */
export function zoneChoices(...current: (string | null | undefined)[]): string[] {
  const known = new Set(Intl.supportedValuesOf('timeZone'))
  for (const zone of current) if (zone) known.add(zone)
  return [...known].sort()
}

/**
 * 12- or 24-hour clock as the visitor's own locale writes it: the first Accept-Language tag when it is a
 * variant of the site's language (en-GB reads 14:00, en-US 2:00 PM), else the site language's habit.
 */
export async function usesTwelveHourClock(siteLocale: string): Promise<boolean> {
  const first = (await headers()).get('accept-language')?.split(',')[0]?.split(';')[0]?.trim() ?? ''
  let tag = siteLocale
  try {
    if (first && new Intl.Locale(first).language === siteLocale) tag = first
  } catch {
    // A malformed header tag: keep the site's language.
  }
  return new Intl.DateTimeFormat(tag, { hour: 'numeric' }).resolvedOptions().hour12 === true
}
