import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Payload 3.90 stores passwords as PBKDF2-HMAC-SHA256, 600,000 iterations, 32-byte key, 32-byte random salt
 * (hex), hash written as `pbkdf2-sha256-v1:<64 hex>` (payload/dist/auth/strategies/local/generatePasswordSaltHash.js).
 * We keep that and only add the same work for requests that have no account behind them.
 */
export const PAYLOAD_PBKDF2 = { iterations: 600_000, keyLength: 32, digest: 'sha256', prefix: 'pbkdf2-sha256-v1:' } as const

const dummySalt = randomBytes(32).toString('hex')

/** One password check's worth of work (same parameters as Payload's), for an email that matched no account. */
export function spendPasswordCheck(password: unknown): Promise<void> {
  const input = typeof password === 'string' && password.length > 0 ? password : 'no password given'
  return new Promise((resolve) => {
    pbkdf2(input, dummySalt, PAYLOAD_PBKDF2.iterations, PAYLOAD_PBKDF2.keyLength, PAYLOAD_PBKDF2.digest, () => resolve())
  })
}

/**
 * Whether `password` is the one stored as Payload's `salt` + `hash` (its own format, including the pre-3.x
 * 25,000-iteration hashes without a prefix). Used where a signed-in person confirms their current password.
 */
export function passwordMatches(password: string, stored: { salt?: unknown; hash?: unknown }): Promise<boolean> {
  const { salt, hash } = stored
  if (typeof salt !== 'string' || typeof hash !== 'string' || password.length === 0) return Promise.resolve(false)
  const current = hash.startsWith(PAYLOAD_PBKDF2.prefix)
  const expected = Buffer.from(current ? hash.slice(PAYLOAD_PBKDF2.prefix.length) : hash, 'hex')
  const iterations = current ? PAYLOAD_PBKDF2.iterations : 25_000
  const keyLength = current ? PAYLOAD_PBKDF2.keyLength : 512
  return new Promise((resolve) => {
    pbkdf2(password, salt, iterations, keyLength, PAYLOAD_PBKDF2.digest, (error, derived) => {
      resolve(!error && derived.length === expected.length && timingSafeEqual(derived, expected))
    })
  })
}
