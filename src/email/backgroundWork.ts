/**
 * Work a process does after answering a request (queueing a booking's mail and sending the immediate messages),
 * run a few tasks at a time. Requests come first: waiting work starts when the process is answering no request,
 * or once the oldest task has waited `yieldMs`, so a burst of bookings is answered at the speed of the bookings
 * alone and their mail follows within that bound. Past `maxWaiting` waiting tasks the caller is told it is
 * backlogged and should wait for its own task (backpressure instead of a queue that grows without end); that task
 * then runs at once instead of joining the queue, so the request waits for its own mail only, never behind the
 * others' (which would hold it past the yield bound). How many run so is bounded by the requests a replica admits
 * at once (src/security/loadShedding.ts).
 *
 * Nothing here needs to survive the process: callers hand over work that is already durable (a mail intent in
 * the database), which any replica's dispatcher tick finishes if this process dies first.
 */
export type BackgroundWorkOptions = {
  maxParallel: number
  maxWaiting: () => number
  yieldMs: () => number
  requestsInFlight: () => number
  /** Registers a callback for the moment the last request in flight is answered. */
  onRequestsIdle: (listener: () => void) => void
  onError: (error: unknown) => void
  now?: () => number
}

type Waiting = { run: () => Promise<void>; since: number }

export class BackgroundWork {
  private readonly waiting: Waiting[] = []
  private readonly unsettled = new Set<Promise<void>>()
  private active = 0
  private flushing = false
  private retryTimer: NodeJS.Timeout | undefined
  private readonly now: () => number

  constructor(private readonly options: BackgroundWorkOptions) {
    this.now = options.now ?? Date.now
    options.onRequestsIdle(() => this.pump())
  }

  /** Queues `task`; `done` settles (never rejects) when it has run. */
  schedule(task: () => Promise<unknown>): { done: Promise<void>; backlogged: boolean } {
    let release!: () => void
    const done = new Promise<void>((resolve) => (release = resolve))
    const run = async () => {
      try {
        await task()
      } catch (error) {
        this.options.onError(error)
      } finally {
        release()
      }
    }
    const tracked = done.finally(() => this.unsettled.delete(tracked))
    this.unsettled.add(tracked)
    const backlogged = this.waiting.length >= this.options.maxWaiting()
    if (backlogged) {
      // The caller waits for this one: run it now, not behind the queue.
      void run()
      return { done, backlogged }
    }
    this.waiting.push({ since: this.now(), run })
    this.pump()
    return { done, backlogged }
  }

  get waitingCount(): number {
    return this.waiting.length
  }

  /** Runs everything waiting now, whatever the requests in flight, and waits for it (shutdown, scripts, tests). */
  async flush(): Promise<void> {
    this.flushing = true
    try {
      this.pump()
      while (this.unsettled.size > 0) await Promise.allSettled([...this.unsettled])
    } finally {
      this.flushing = false
    }
  }

  private pump(): void {
    while (this.active < this.options.maxParallel && this.waiting.length > 0) {
      const waitedMs = this.now() - this.waiting[0].since
      const yieldMs = this.options.yieldMs()
      if (!this.flushing && this.options.requestsInFlight() > 0 && waitedMs < yieldMs) {
        // Try again when the last request is answered, or when the oldest task has waited long enough.
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = undefined
          this.pump()
        }, yieldMs - waitedMs).unref()
        return
      }
      const next = this.waiting.shift()!
      this.active += 1
      setImmediate(() => {
        void next.run().finally(() => {
          this.active -= 1
          this.pump()
        })
      })
    }
  }
}
