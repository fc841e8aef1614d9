import { authCookieSecure } from './config'

/**
 * Payload's auth cookie (`payload-token`): always HttpOnly (Payload sets it), SameSite=Lax (sent on top-level
 * navigation from other sites, never on their cross-site POSTs or fetches), host-only (no Domain), and Secure
 * in production (COOKIE_SECURE overrides, e.g. COOKIE_SECURE=false for a plain-http local cluster).
 */
export const authCookies = () => ({ secure: authCookieSecure(), sameSite: 'Lax' as const })
