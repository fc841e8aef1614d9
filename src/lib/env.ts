/** Reads configuration from the environment; every variable is documented in .env.example. */

const DEFAULT_PORT = 3000

function readInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`)
  }
  return value
}

export const isProduction = (): boolean => process.env.NODE_ENV === 'production'

/** `next build` evaluates the config without a database or secrets; runtime checks still apply at start. */
const isNextBuild = (): boolean => process.env.NEXT_PHASE === 'phase-production-build'

export function port(): number {
  return readInt('PORT', DEFAULT_PORT)
}

export function serverURL(): string {
  const fromEnv = process.env.SERVER_URL
  if (fromEnv) return fromEnv.replace(/\/+$/, '')
  return `http://localhost:${port()}`
}

export function databaseURI(): string {
  const uri = process.env.DATABASE_URI
  if (!uri && isNextBuild()) return 'mongodb://127.0.0.1:1/build-time-placeholder'
  if (!uri) {
    throw new Error(
      'DATABASE_URI is not set. Use `npm run dev` (starts a local database) or set DATABASE_URI to a mongodb:// URI.',
    )
  }
  return uri
}

export function payloadSecret(): string {
  const secret = process.env.PAYLOAD_SECRET
  if (secret) return secret
  if (isProduction() && !isNextBuild()) throw new Error('PAYLOAD_SECRET must be set in production')
  return 'tutortrack-development-secret-do-not-use-in-production'
}

/** How long a draining server waits for in-flight requests before closing their connections. */
export function shutdownTimeoutMs(): number {
  return readInt('SHUTDOWN_TIMEOUT_MS', 25_000)
}

/**
 * Browser origins allowed for CORS/CSRF: SERVER_URL and ALLOWED_ORIGINS (comma-separated). In development a
 * loopback SERVER_URL also allows its other spellings (localhost, 127.0.0.1, [::1]) on the same port, so the
 * site works whichever of them the browser was pointed at; production allows exactly what is configured.
 */
export function allowedOrigins(): string[] {
  const extra = (process.env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean)
  const loopback = isProduction() ? [] : loopbackSpellings(serverURL())
  return [...new Set([serverURL(), ...extra, ...loopback])]
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]']

/** The same origin under every loopback host name, or nothing when the origin is not a loopback one. */
export function loopbackSpellings(origin: string): string[] {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return []
  }
  if (!LOOPBACK_HOSTS.includes(url.hostname)) return []
  return LOOPBACK_HOSTS.map((host) => {
    const spelling = new URL(url.origin)
    spelling.hostname = host
    return spelling.origin
  })
}
