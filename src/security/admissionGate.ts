/**
 * A per-replica bound on the requests this process works on at once, with a small bounded wait queue: what
 * overload costs is a quick refusal of the excess (503 + Retry-After, src/security/loadShedding.ts) instead of a
 * queue that grows until every request times out. It is a capacity bound of this process (CPU, event loop,
 * database pool), not state shared between replicas, so it lives in memory on purpose.
 *
 * Two kinds of request: `priority` (writes, the admin panel, signed-in people) may use every slot; `bulk`
 * (anonymous reads such as the slot search) leaves `reservedForPriority` slots free, so a flood of searches
 * cannot keep a student's booking or an admin's save out. Waiting priority requests go first.
 */
export type RequestKind = 'priority' | 'bulk'

export type AdmissionLimits = {
  /** Requests worked on at once; 0 turns the gate off (everything admitted). */
  maxInFlight: number
  /** Requests that may wait for a slot. */
  queueSize: number
  /** Longest a request waits for a slot before it is refused. */
  maxWaitMs: number
  /** Slots only priority requests may take. */
  reservedForPriority: number
}

export type Refusal = 'queue_full' | 'wait_timeout' | 'displaced'

export type Admission = {
  /** Called once with a release function when admitted, or with the reason when refused. */
  admitted: (release: () => void) => void
  refused: (reason: Refusal) => void
}

type Waiter = { kind: RequestKind; weight: number; admission: Admission; timer: NodeJS.Timeout; settled: boolean }

export class AdmissionGate {
  private active = 0
  private readonly waiting: Waiter[] = []

  constructor(private readonly limits: AdmissionLimits) {}

  /** Slots taken (a weighted request counts its weight). */
  get inFlight(): number {
    return this.active
  }

  get queued(): number {
    return this.waiting.length
  }

  /**
   * Admits at once, queues, or refuses. Returns a cancel function for a queued request whose client went away
   * (no-op otherwise), so it neither keeps its place nor takes a slot nobody will use.
   *
   * `weight`: how many slots the request takes. A page render costs tens of times a slot search's CPU; counted
   * as one, a bound that suits searches lets so many pages render at once that each takes seconds.
   */
  enter(kind: RequestKind, admission: Admission, weight = 1): () => void {
    if (this.limits.maxInFlight === 0 || (this.hasRoomFor(kind, weight) && !this.waiting.some((waiter) => waiter.kind === 'priority' || kind === 'bulk'))) {
      admission.admitted(this.takeSlot(weight))
      return () => {}
    }
    if (this.waiting.length >= this.limits.queueSize) {
      // A full queue of searches must not turn a booking away: the newest bulk waiter gives up its place.
      const displaced = kind === 'priority' ? this.lastBulkWaiter() : undefined
      if (!displaced) {
        admission.refused('queue_full')
        return () => {}
      }
      this.refuse(displaced, 'displaced')
    }
    const waiter: Waiter = { kind, weight, admission, settled: false, timer: setTimeout(() => this.refuse(waiter, 'wait_timeout'), this.limits.maxWaitMs) }
    waiter.timer.unref()
    this.waiting.push(waiter)
    return () => this.remove(waiter)
  }

  private hasRoomFor(kind: RequestKind, weight: number): boolean {
    const slots = kind === 'priority' ? this.limits.maxInFlight : Math.max(1, this.limits.maxInFlight - this.limits.reservedForPriority)
    // A request heavier than the bound still runs when nothing else does.
    return this.active === 0 || this.active + weight <= slots
  }

  private takeSlot(weight: number): () => void {
    this.active += weight
    let released = false
    return () => {
      if (released) return
      released = true
      this.active -= weight
      this.admitWaiting()
    }
  }

  private admitWaiting(): void {
    for (;;) {
      const next =
        this.waiting.find((waiter) => waiter.kind === 'priority' && this.hasRoomFor('priority', waiter.weight)) ??
        this.waiting.find((waiter) => this.hasRoomFor(waiter.kind, waiter.weight))
      if (!next) return
      this.remove(next)
      next.admission.admitted(this.takeSlot(next.weight))
    }
  }

  private lastBulkWaiter(): Waiter | undefined {
    for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i].kind === 'bulk') return this.waiting[i]
    return undefined
  }

  private refuse(waiter: Waiter, reason: Refusal): void {
    if (waiter.settled) return
    this.remove(waiter)
    waiter.admission.refused(reason)
  }

  private remove(waiter: Waiter): void {
    if (waiter.settled) return
    waiter.settled = true
    clearTimeout(waiter.timer)
    const index = this.waiting.indexOf(waiter)
    if (index !== -1) this.waiting.splice(index, 1)
  }
}
