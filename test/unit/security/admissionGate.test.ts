import { describe, expect, it } from '@jest/globals'

import { AdmissionGate, type RequestKind } from '../../../src/security/admissionGate'
import { isNeverShed, requestKind, requestWeight } from '../../../src/security/loadShedding'

type Outcome = { admitted: boolean; refused?: string; release?: () => void }

function enter(gate: AdmissionGate, kind: RequestKind, weight = 1): Outcome & { cancel: () => void } {
  const outcome: Outcome & { cancel: () => void } = { admitted: false, cancel: () => {} }
  outcome.cancel = gate.enter(
    kind,
    {
      admitted: (release) => {
        outcome.admitted = true
        outcome.release = release
      },
      refused: (reason) => (outcome.refused = reason),
    },
    weight,
  )
  return outcome
}

const limits = { maxInFlight: 3, queueSize: 2, maxWaitMs: 60_000, reservedForPriority: 1 }

describe('AdmissionGate', () => {
  it('admits up to the bound, queues a few, refuses the rest at once', () => {
    const gate = new AdmissionGate({ ...limits, reservedForPriority: 0 })
    const outcomes = Array.from({ length: 7 }, () => enter(gate, 'bulk'))
    expect(outcomes.map((o) => (o.admitted ? 'in' : o.refused ?? 'waiting'))).toEqual(['in', 'in', 'in', 'waiting', 'waiting', 'queue_full', 'queue_full'])
    expect(gate.inFlight).toBe(3)
    outcomes[0].release!()
    expect(outcomes[3].admitted).toBe(true)
    outcomes[0].release!() // twice is once
    expect(gate.inFlight).toBe(3)
    expect(gate.queued).toBe(1)
  })

  it('keeps reserved slots for priority requests and lets them go first', () => {
    const gate = new AdmissionGate(limits)
    const reads = [enter(gate, 'bulk'), enter(gate, 'bulk'), enter(gate, 'bulk')]
    expect(reads.map((o) => o.admitted)).toEqual([true, true, false])
    const write = enter(gate, 'priority')
    expect(write.admitted).toBe(true)
    const laterWrite = enter(gate, 'priority')
    expect(laterWrite.admitted).toBe(false)
    // A slot frees: the waiting write goes before the read that waited longer.
    reads[0].release!()
    expect(laterWrite.admitted).toBe(true)
    expect(reads[2].admitted).toBe(false)
  })

  it('a full queue of reads gives a place to a write; a full queue of writes refuses', () => {
    const gate = new AdmissionGate({ ...limits, maxInFlight: 1, reservedForPriority: 0 })
    enter(gate, 'priority')
    const reads = [enter(gate, 'bulk'), enter(gate, 'bulk')]
    const write = enter(gate, 'priority')
    expect(reads[1].refused).toBe('displaced')
    expect(reads[0].refused).toBeUndefined()
    expect(write.refused).toBeUndefined()
    enter(gate, 'priority') // displaces the other read
    expect(reads[0].refused).toBe('displaced')
    expect(enter(gate, 'priority').refused).toBe('queue_full')
  })

  it('refuses a request that waited too long, and forgets one whose client left', async () => {
    const gate = new AdmissionGate({ ...limits, maxInFlight: 1, maxWaitMs: 30 })
    const first = enter(gate, 'priority')
    const waited = enter(gate, 'priority')
    const left = enter(gate, 'priority')
    left.cancel()
    expect(gate.queued).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(waited.refused).toBe('wait_timeout')
    first.release!()
    expect(left.admitted).toBe(false)
    expect(gate.inFlight).toBe(0)
  })

  it('counts a heavy request (a page) as several slots, and still runs one that exceeds the bound alone', () => {
    const gate = new AdmissionGate({ maxInFlight: 8, queueSize: 4, maxWaitMs: 60_000, reservedForPriority: 0 })
    const pages = [enter(gate, 'bulk', 4), enter(gate, 'bulk', 4), enter(gate, 'bulk', 4)]
    expect(pages.map((o) => o.admitted)).toEqual([true, true, false])
    expect(gate.inFlight).toBe(8)
    // A light request does not jump the queue of a page that waits.
    const search = enter(gate, 'bulk')
    expect(search.admitted).toBe(false)
    pages[0].release!()
    expect(pages[2].admitted).toBe(true)
    expect(search.admitted).toBe(false)
    pages[1].release!()
    expect(search.admitted).toBe(true)
    expect(gate.inFlight).toBe(5)

    const small = new AdmissionGate({ maxInFlight: 2, queueSize: 1, maxWaitMs: 60_000, reservedForPriority: 0 })
    expect(enter(small, 'bulk', 4).admitted).toBe(true)
    expect(enter(small, 'bulk', 1).admitted).toBe(false)
  })

  it('admits everything when the bound is 0', () => {
    const gate = new AdmissionGate({ ...limits, maxInFlight: 0 })
    expect(Array.from({ length: 100 }, () => enter(gate, 'bulk').admitted).every(Boolean)).toBe(true)
  })
})

describe('what is shed, and with which priority', () => {
  it('never sheds the probes or static files', () => {
    expect(isNeverShed('GET', '/healthz')).toBe(true)
    expect(isNeverShed('GET', '/readyz')).toBe(true)
    expect(isNeverShed('HEAD', '/_next/static/chunks/app.js')).toBe(true)
    expect(isNeverShed('GET', '/icon-12o0cb.svg')).toBe(true)
    expect(isNeverShed('GET', '/favicon.ico')).toBe(true)
    expect(isNeverShed('GET', '/api/tutors')).toBe(false)
    expect(isNeverShed('GET', '/iconography')).toBe(false)
    expect(isNeverShed('POST', '/healthz')).toBe(false)
  })

  it('gives writes, the admin panel and signed-in people priority over anonymous reads', () => {
    expect(requestKind('POST', '/api/appointments', {})).toBe('priority')
    expect(requestKind('GET', '/admin/collections/appointments', {})).toBe('priority')
    expect(requestKind('GET', '/', { cookie: 'a=b; payload-token=xyz' })).toBe('priority')
    expect(requestKind('GET', '/api/students/me', { authorization: 'JWT x' })).toBe('priority')
    expect(requestKind('GET', '/api/tutors/1/availability', {})).toBe('bulk')
    expect(requestKind('GET', '/administrator', {})).toBe('bulk')
  })

  it('weighs page renders, not API calls or files', () => {
    expect(requestWeight('GET', '/tutors/ada-lovelace', 4)).toBe(4)
    expect(requestWeight('GET', '/', 4)).toBe(4)
    expect(requestWeight('GET', '/admin/collections/appointments', 4)).toBe(4)
    expect(requestWeight('GET', '/api/tutors/1/availability', 4)).toBe(1)
    expect(requestWeight('GET', '/api', 4)).toBe(1)
    expect(requestWeight('POST', '/tutors/ada-lovelace/confirm', 4)).toBe(1)
    expect(requestWeight('GET', '/booked/1/calendar.ics', 4)).toBe(1)
    expect(requestWeight('GET', '/_next/image', 4)).toBe(1)
  })
})
