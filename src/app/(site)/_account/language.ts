/**
 * The language choice lives in the `tt-lang` cookie (src/i18n/request.ts reads it before Accept-Language). It is
 * a preference, not a secret, so the browser writes it: at sign-in (from the profile), on profile save and from
 * the header's switch. A year, the whole site, sent on top-level navigations.
 */
export const LOCALE_COOKIE_NAME = 'tt-lang'

export function rememberLanguage(language: unknown): void {
  if (typeof language !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) return
  document.cookie = `${LOCALE_COOKIE_NAME}=${language}; path=/; max-age=${60 * 60 * 24 * 365}; samesite=lax`
}
