import { cookies, headers } from 'next/headers'
import { getRequestConfig } from 'next-intl/server'

import { isLocale, LOCALE_COOKIE, messagesFor, negotiateLocale } from './catalog'

/**
 * next-intl without i18n routing (no [locale] segment, no middleware: those clash with Payload's admin routes).
 * The language: the student's profile choice (a cookie), else the browser's Accept-Language, else English.
 */
export default getRequestConfig(async () => {
  const profile = (await cookies()).get(LOCALE_COOKIE)?.value
  const locale = isLocale(profile) ? profile : negotiateLocale((await headers()).get('accept-language'))
  // Every time on the site is formatted with an explicit zone; UTC only guards against a forgotten one.
  return { locale, messages: messagesFor(locale), timeZone: 'UTC' }
})
