import { describe, expect, it } from '@jest/globals'
import { dictionary } from '@zxcvbn-ts/language-common'

import { isCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../../../src/security/passwordPolicy'

describe('password policy', () => {
  it('needs at least 12 characters, counted as characters (not bytes)', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12)
    expect(passwordProblem('short pass')).toMatch(/at least 12 characters \(this one has 10\)/)
    expect(passwordProblem('ünïcödé pâss')).toBeNull() // 12 characters, more bytes
    expect(passwordProblem('🐙🐙🐙🐙🐙🐙🐙🐙🐙🐙🐙')).toMatch(/at least 12/) // 11 emoji = 22 UTF-16 units
  })

  it('allows at least 64 and up to 128 characters, any characters, spaces included', () => {
    expect(PASSWORD_MAX_LENGTH).toBe(128)
    const long = 'Lantern orbit 7 quietly borrows marmalade; ' + 'fjord '.repeat(20)
    expect([...long.slice(0, 128)].length).toBe(128)
    expect(passwordProblem(long.slice(0, 128))).toBeNull()
    expect(passwordProblem(long.slice(0, 64))).toBeNull()
    expect(passwordProblem('y'.repeat(20) + 'z'.repeat(109))).toMatch(/at most 128 characters \(this one has 129\)/)
    expect(passwordProblem('correct horse battery staple')).toBeNull()
  })

  it('refuses passwords on the zxcvbn-ts common-password list, whatever the case', () => {
    const list = dictionary['passwords-common']
    expect(list.length).toBeGreaterThan(40_000)
    const longCommon = list.filter((entry) => [...entry].length >= 12 && [...entry].length <= 128).slice(0, 200)
    expect(longCommon.length).toBeGreaterThan(100)
    for (const entry of longCommon) expect(passwordProblem(entry)).toMatch(/common passwords/)
    expect(passwordProblem('PASSWORD1234')).toMatch(/common passwords/)
    expect(passwordProblem('Sunshine2024!!!')).toMatch(/common passwords/) // a listed word + digits/symbols
    expect(passwordProblem('abcabcabcabc')).toMatch(/common passwords/)
    expect(isCommonPassword('quiet lantern orbit')).toBe(false)
  })

  it('refuses the account email as password, and says what is wrong', () => {
    expect(passwordProblem('sam.okafor@example.com', { email: 'Sam.Okafor@example.com' })).toMatch(/email address/)
    expect(passwordProblem('samokafor2024', { email: 'samokafor@example.com' })).toMatch(/email address/)
    expect(passwordProblem(undefined)).toBe('Enter a password.')
    expect(passwordProblem(12345678901234)).toBe('Enter a password.')
  })
})
