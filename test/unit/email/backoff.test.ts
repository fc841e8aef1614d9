import { describe, expect, it } from '@jest/globals'

import { retryDelayMs } from '../../../src/email/backoff'

const options = { baseMs: 1_000, maxMs: 60_000 }

describe('retryDelayMs', () => {
  it('doubles per attempt between half and all of the nominal delay', () => {
    expect(retryDelayMs(1, options, () => 0)).toBe(500)
    expect(retryDelayMs(1, options, () => 1)).toBe(1_000)
    expect(retryDelayMs(2, options, () => 0)).toBe(1_000)
    expect(retryDelayMs(3, options, () => 1)).toBe(4_000)
    expect(retryDelayMs(4, options, () => 0.5)).toBe(6_000)
  })

  it('is capped at maxMs however many attempts failed', () => {
    expect(retryDelayMs(7, options, () => 1)).toBe(60_000)
    expect(retryDelayMs(500, options, () => 1)).toBe(60_000)
    expect(retryDelayMs(500, options, () => 0)).toBe(30_000)
  })

  it('spreads retries of messages that failed together (jitter)', () => {
    let seed = 7
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647)
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(5, options, random)))
    expect(delays.size).toBeGreaterThan(15)
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(8_000)
      expect(delay).toBeLessThanOrEqual(16_000)
    }
  })
})
