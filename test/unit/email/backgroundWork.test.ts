import { describe, expect, it } from '@jest/globals'

import { BackgroundWork } from '../../../src/email/backgroundWork'

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

function setup(options: { yieldMs?: number; maxWaiting?: number } = {}) {
  let requests = 0
  const idle: (() => void)[] = []
  const errors: unknown[] = []
  const work = new BackgroundWork({
    maxParallel: 2,
    maxWaiting: () => options.maxWaiting ?? 100,
    yieldMs: () => options.yieldMs ?? 60_000,
    requestsInFlight: () => requests,
    onRequestsIdle: (listener) => idle.push(listener),
    onError: (error) => errors.push(error),
  })
  return {
    work,
    errors,
    startRequest: () => void (requests += 1),
    finishRequest: () => {
      requests -= 1
      if (requests === 0) for (const listener of idle) listener()
    },
  }
}

describe('BackgroundWork', () => {
  it('runs at once when no request is in flight', async () => {
    const { work } = setup()
    const ran: number[] = []
    await work.schedule(async () => ran.push(1)).done
    expect(ran).toEqual([1])
  })

  it('waits while requests are in flight and starts when the last one is answered', async () => {
    const { work, startRequest, finishRequest } = setup()
    const ran: string[] = []
    startRequest()
    startRequest()
    work.schedule(async () => ran.push('a'))
    work.schedule(async () => ran.push('b'))
    await tick()
    expect(ran).toEqual([])
    finishRequest()
    await tick()
    expect(ran).toEqual([])
    finishRequest()
    await tick()
    expect(ran.sort()).toEqual(['a', 'b'])
  })

  it('gives way for at most yieldMs, then runs even under constant load', async () => {
    const { work, startRequest } = setup({ yieldMs: 40 })
    startRequest()
    const started = Date.now()
    let ranAt = 0
    await work.schedule(async () => (ranAt = Date.now())).done
    expect(ranAt - started).toBeGreaterThanOrEqual(35)
  })

  it('runs at most maxParallel tasks at once', async () => {
    const { work } = setup()
    let running = 0
    let most = 0
    const task = async () => {
      running += 1
      most = Math.max(most, running)
      await tick()
      running -= 1
    }
    await Promise.all(Array.from({ length: 6 }, () => work.schedule(task).done))
    expect(most).toBe(2)
  })

  it('tells the caller it is backlogged past maxWaiting', () => {
    const { work, startRequest } = setup({ maxWaiting: 2 })
    startRequest()
    const results = Array.from({ length: 3 }, () => work.schedule(async () => undefined).backlogged)
    expect(results).toEqual([false, false, true])
  })

  it('runs a backlogged task at once, ahead of the waiting ones, so its request waits for its own mail only', async () => {
    const { work, startRequest } = setup({ maxWaiting: 2 })
    startRequest() // in flight for the whole test: the queue gives way for yieldMs (a minute)
    const ran: string[] = []
    work.schedule(async () => ran.push('queued 1'))
    work.schedule(async () => ran.push('queued 2'))
    const own = work.schedule(async () => ran.push('own'))
    expect(own.backlogged).toBe(true)
    await own.done
    expect(ran).toEqual(['own'])
    expect(work.waitingCount).toBe(2)
  })

  it('flush runs waiting work despite requests in flight; a failing task settles and is reported', async () => {
    const { work, errors, startRequest } = setup()
    startRequest()
    const ran: string[] = []
    work.schedule(async () => ran.push('ok'))
    work.schedule(async () => {
      throw new Error('boom')
    })
    await work.flush()
    expect(ran).toEqual(['ok'])
    expect(errors).toHaveLength(1)
    expect(work.waitingCount).toBe(0)
  })
})
