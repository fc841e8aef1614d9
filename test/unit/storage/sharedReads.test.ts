import { describe, expect, it } from '@jest/globals'

import { SharedReads } from '../../../src/storage/sharedReads'

/** A read whose answer the test gives when it wants, recording when each round trip started. */
function controlledStore() {
  let value = 0
  const pending: (() => void)[] = []
  const started: number[] = []
  return {
    write: (next: number) => (value = next),
    fetch: () =>
      new Promise<number>((resolve) => {
        // The round trip sees the value as it is when it starts.
        const seen = value
        started.push(seen)
        pending.push(() => resolve(seen))
      }),
    answerOne: async () => {
      pending.shift()?.()
      await new Promise((resolve) => setImmediate(resolve))
    },
    started,
  }
}

describe('SharedReads', () => {
  it('makes one round trip for a caller alone', async () => {
    const reads = new SharedReads<number>()
    const store = controlledStore()
    const first = reads.read('k', store.fetch)
    await store.answerOne()
    expect(await first).toBe(0)
    expect(reads.reads).toBe(1)
  })

  it('never hands a caller a read that started before it arrived: latecomers share the next one', async () => {
    const reads = new SharedReads<number>()
    const store = controlledStore()
    const early = reads.read('k', store.fetch)
    // A write completes after the first read started; callers arriving now must see it.
    store.write(1)
    const late = [reads.read('k', store.fetch), reads.read('k', store.fetch), reads.read('k', store.fetch)]
    expect(store.started).toEqual([0])
    await store.answerOne()
    expect(await early).toBe(0)
    // The next read starts only now, for all three latecomers together.
    expect(store.started).toEqual([0, 1])
    await store.answerOne()
    expect(await Promise.all(late)).toEqual([1, 1, 1])
    expect(reads.reads).toBe(2)
  })

  it('keeps keys apart and starts afresh once nothing is in flight', async () => {
    const reads = new SharedReads<number>()
    const store = controlledStore()
    const a = reads.read('a', store.fetch)
    const b = reads.read('b', store.fetch)
    expect(store.started).toEqual([0, 0])
    await store.answerOne()
    await store.answerOne()
    await Promise.all([a, b])
    store.write(2)
    const again = reads.read('a', store.fetch)
    await store.answerOne()
    expect(await again).toBe(2)
    expect(reads.reads).toBe(3)
  })

  it('lets the next read go ahead when the one before it failed', async () => {
    const reads = new SharedReads<number>()
    let calls = 0
    const failing = reads.read('k', () => (calls++ === 0 ? Promise.reject(new Error('gone')) : Promise.resolve(7)))
    const next = reads.read('k', () => Promise.resolve(7))
    await expect(failing).rejects.toThrow('gone')
    expect(await next).toBe(7)
  })
})
