import { pbkdf2, randomBytes } from 'node:crypto'

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
