import { describe, expect, it } from '@jest/globals'
import { ObjectId } from 'mongodb'

import { liftConjunctions } from '../../../src/storage/liftConjunctions'

describe('liftConjunctions', () => {
  const id = new ObjectId()

  it("lifts Payload's read by id under an access rule to top-level terms", () => {
    const filter = { $and: [{ _id: { $eq: id } }, { student: { $eq: 'S1' } }] }
    const lifted = liftConjunctions(filter)
    expect(lifted).toEqual({ _id: { $eq: id }, student: { $eq: 'S1' } })
    expect(lifted._id).toEqual({ $eq: id })
    expect((lifted._id as { $eq: ObjectId }).$eq).toBe(id) // values are kept, not copied
  })

  it('keeps a second condition on a field already taken in $and, and lifts nested $and', () => {
    const filter = { start: { $gte: 1 }, $and: [{ start: { $lt: 5 } }, { $and: [{ tutor: 'T' }, { $or: [{ a: 1 }, { b: 2 }] }] }] }
    expect(liftConjunctions(filter)).toEqual({ start: { $gte: 1 }, tutor: 'T', $or: [{ a: 1 }, { b: 2 }], $and: [{ start: { $lt: 5 } }] })
  })

  it('splits a term with several fields', () => {
    expect(liftConjunctions({ $and: [{ a: 1, b: 2 }, { a: 3 }] })).toEqual({ a: 1, b: 2, $and: [{ a: 3 }] })
  })

  it('returns the very filter when there is nothing to lift or the $and is not a list of documents', () => {
    for (const filter of [{}, { a: 1 }, { $and: [] }, { $and: 'x' }, { $and: [1] }, { $or: [{ a: 1 }] }, { $and: [id] }]) {
      expect(liftConjunctions(filter as Record<string, unknown>)).toBe(filter)
    }
  })

  it('selects exactly the documents the original filter selects (checked by a small matcher over many filters)', () => {
    // Equality-only filters over a few fields: a document matches a conjunction iff it matches every term.
    type Doc = Record<string, number>
    const matches = (doc: Doc, filter: Record<string, unknown>): boolean =>
      Object.entries(filter).every(([key, value]) =>
        key === '$and' ? (value as Record<string, unknown>[]).every((term) => matches(doc, term)) : doc[key] === value,
      )
    const docs: Doc[] = []
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let c = 0; c < 2; c++) docs.push({ a, b, c })
    let seed = 7
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
    const term = (depth: number): Record<string, unknown> => {
      const out: Record<string, unknown> = {}
      for (const key of ['a', 'b', 'c']) if (next(2)) out[key] = next(2)
      if (depth < 2 && next(3) === 0) out.$and = [term(depth + 1), term(depth + 1)]
      return out
    }
    for (let round = 0; round < 300; round++) {
      const filter = { ...term(0), $and: [term(1), term(1), term(1)] }
      const lifted = liftConjunctions(filter)
      for (const doc of docs) expect(matches(doc, lifted)).toBe(matches(doc, filter))
    }
  })
})
