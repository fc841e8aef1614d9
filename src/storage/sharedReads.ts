/**
 * Concurrent freshness reads of one key (a change stamp, the next entry of a change log) share round trips
 * without any caller getting older data than a read of its own would give: a caller that finds a read of its
 * key in flight does not join it (it may have started before a write the caller must see) but waits for the
 * next one, which starts once the current one settles, after every caller waiting for it arrived. All callers
 * that arrive meanwhile share that next read. So N concurrent searches of one tutor cost about two round trips
 * per key instead of N, and one search alone still costs exactly one.
 */
export class SharedReads<T> {
  private readonly running = new Map<string, Promise<T>>()
  private readonly following = new Map<string, Promise<T>>()
  /** Round trips made (tests and diagnostics). */
  reads = 0

  read(key: string, fetch: () => Promise<T>): Promise<T> {
    const queued = this.following.get(key)
    if (queued) return queued
    const current = this.running.get(key)
    if (!current) return this.start(key, fetch)
    const next = current.then(settled, settled).then(() => {
      this.following.delete(key)
      return this.start(key, fetch)
    })
    this.following.set(key, next)
    return next
  }

  private start(key: string, fetch: () => Promise<T>): Promise<T> {
    this.reads++
    const reading: Promise<T> = fetch().finally(() => {
      if (this.running.get(key) === reading) this.running.delete(key)
    })
    this.running.set(key, reading)
    return reading
  }
}

const settled = () => undefined
