import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import type { Collection, Db } from 'mongodb'
import type { Payload } from 'payload'

import { findMongod } from '../../scripts/local-db/mongod'
import { deleteByIds, findByIds } from '../../src/storage/byId'
import { takeNextNumber } from '../../src/storage/counters'
import { mongoDb } from '../../src/storage/db'
import { putById } from '../../src/storage/duplicateKey'
import { ensureExpiryIndex, sweepExpired } from '../../src/storage/expiry'
import { detectStorageFlavor, storageFlavorOf, type StorageFlavor } from '../../src/storage/flavor'
import { testPayload } from '../helpers/api'
import { createStudent } from '../helpers/fixtures'
import { afterStatsReported, postgresSql } from '../helpers/postgres'

/**
 * The storage seam against the test database: the flavor it detects, and each switched workaround giving the
 * same results both ways (STORAGE_FLAVOR forces one; both are correct on any server, only the cost differs).
 */
let payload: Payload
let db: Db
const forced = process.env.STORAGE_FLAVOR

beforeAll(async () => {
  payload = await testPayload()
  db = mongoDb(payload)
})

afterEach(() => {
  if (forced === undefined) delete process.env.STORAGE_FLAVOR
  else process.env.STORAGE_FLAVOR = forced
  jest.restoreAllMocks()
})

afterAll(async () => {
  await Promise.all(['storage_flavor_ids', 'storage_flavor_expiry', 'storage_flavor_put', 'storage_flavor_numbers'].map((name) => db.collection(name).drop().catch(() => undefined)))
})

const withFlavor = (flavor: StorageFlavor) => {
  process.env.STORAGE_FLAVOR = flavor
}

type Item = { _id: string; owner: string; n: number }

async function freshItems(): Promise<Collection<Item>> {
  const items = db.collection<Item>('storage_flavor_ids')
  await items.deleteMany({})
  await items.insertMany(['a', 'b', 'c', 'd'].map((id, n) => ({ _id: id, owner: n % 2 === 0 ? 'even' : 'odd', n })))
  return items
}

describe('flavor detection', () => {
  it('tells FerretDB from MongoDB by buildInfo', async () => {
    delete process.env.STORAGE_FLAVOR
    // The test database is DATABASE_URI if given, else mongod when on PATH, else FerretDB (scripts/local-db.ts).
    const expected: StorageFlavor | undefined = process.env.TUTORTRACK_EXTERNAL_DATABASE ? undefined : findMongod() ? 'mongodb' : 'ferretdb'
    const flavor = await detectStorageFlavor(db)
    if (expected) expect(flavor).toBe(expected)
    expect(storageFlavorOf(db)).toBe(flavor)
    expect(storageFlavorOf(db.collection('anything'))).toBe(flavor)
  })

  it('STORAGE_FLAVOR wins over detection', async () => {
    withFlavor('mongodb')
    expect(await detectStorageFlavor(db)).toBe('mongodb')
    expect(storageFlavorOf(db)).toBe('mongodb')
    withFlavor('ferretdb')
    expect(storageFlavorOf(db)).toBe('ferretdb')
  })
})

describe('findByIds / deleteByIds', () => {
  const sorted = (docs: Item[]) => docs.map((doc) => doc._id).sort()

  it('give the same results both ways: one read per id on ferretdb, one $in on mongodb', async () => {
    const items = await freshItems()
    const ids = ['a', 'c', 'x', 'a']

    withFlavor('ferretdb')
    const findOne = jest.spyOn(items, 'findOne')
    const each = await findByIds(items, ids)
    expect(findOne).toHaveBeenCalledTimes(3)
    findOne.mockRestore()

    withFlavor('mongodb')
    const find = jest.spyOn(items, 'find')
    const findOneAgain = jest.spyOn(items, 'findOne')
    const batched = await findByIds(items, ids)
    expect(find).toHaveBeenCalledTimes(1)
    expect(find.mock.calls[0][0]).toEqual({ _id: { $in: ['a', 'c', 'x'] } })
    expect(findOneAgain).not.toHaveBeenCalled()

    expect(sorted(batched)).toEqual(['a', 'c'])
    expect(sorted(batched)).toEqual(sorted(each))
    expect(await findByIds(items, [])).toEqual([])
  })

  it('delete only what also meets the extra condition, the same both ways', async () => {
    for (const flavor of ['ferretdb', 'mongodb'] as const) {
      const items = await freshItems()
      withFlavor(flavor)
      const deleteMany = jest.spyOn(items, 'deleteMany')
      // a and c are 'even'; b is 'odd' and stays.
      expect(await deleteByIds(items, ['a', 'b', 'c', 'x'], { owner: 'even' })).toBe(2)
      expect(deleteMany).toHaveBeenCalledTimes(flavor === 'mongodb' ? 1 : 0)
      expect(sorted(await items.find({}).toArray())).toEqual(['b', 'd'])
      jest.restoreAllMocks()
    }
  })
})

describe('expiry', () => {
  type Expiring = { _id: string; expiresAt: Date }

  it('on ferretdb: a plain index, and sweepExpired deletes what has expired', async () => {
    withFlavor('ferretdb')
    const expiring = db.collection<Expiring>('storage_flavor_expiry')
    await expiring.drop().catch(() => undefined)
    await ensureExpiryIndex(expiring, 'expiresAt')
    const index = (await expiring.indexes()).find((spec) => spec.key.expiresAt === 1)
    expect(index).toBeDefined()
    expect(index?.expireAfterSeconds).toBeUndefined()

    const now = new Date()
    await expiring.insertMany([
      { _id: 'past', expiresAt: new Date(now.getTime() - 1_000) },
      { _id: 'now', expiresAt: now },
      { _id: 'future', expiresAt: new Date(now.getTime() + 60_000) },
    ])
    expect(await sweepExpired(expiring, 'expiresAt', now)).toBe(2)
    expect((await expiring.find({}).toArray()).map((doc) => doc._id)).toEqual(['future'])
  })
})

describe('putById and takeNextNumber', () => {
  it('putById inserts, then updates only the given fields, the same both ways', async () => {
    type Put = { _id: string; value: number; createdAt: Date }
    const puts = db.collection<Put>('storage_flavor_put')
    for (const flavor of ['ferretdb', 'mongodb'] as const) {
      withFlavor(flavor)
      await puts.deleteMany({})
      const createdAt = new Date('2026-01-01T00:00:00Z')
      await putById(puts, { _id: 'k', value: 1, createdAt }, { value: 1 })
      await putById(puts, { _id: 'k', value: 2, createdAt: new Date() }, { value: 2 })
      expect(await puts.findOne({ _id: 'k' })).toEqual({ _id: 'k', value: 2, createdAt })
    }
  })

  it('takeNextNumber hands out 1, 2, 3 per group, the same both ways', async () => {
    type Numbered = { _id: string; group: string; n: number }
    const numbers = db.collection<Numbered>('storage_flavor_numbers')
    await numbers.createIndex({ group: 1, n: -1 })
    for (const flavor of ['ferretdb', 'mongodb'] as const) {
      withFlavor(flavor)
      await numbers.deleteMany({})
      const take = (group: string) => takeNextNumber(numbers, 'group', group, () => ({ group }), 10)
      expect(await Promise.all([take('g'), take('g'), take('g')]).then((taken) => taken.sort())).toEqual([1, 2, 3])
      expect(await take('h')).toBe(1)
      expect(await take('g')).toBe(4)
    }
  })
})

describe('liftConjunctionsOnFerretDB (Payload reads under an access rule)', () => {
  it("serves a read by id under an access rule from PostgreSQL's index on the stand-in, instead of scanning the collection", async () => {
    // Payload sends { $and: [{ _id }, <the access rule>] }; FerretDB hands PostgreSQL only top-level equalities.
    const pgDatabase = process.env.TUTORTRACK_TEST_POSTGRES_DATABASE
    expect(pgDatabase).toBeTruthy() // the test database is FerretDB on PostgreSQL (test/setup/globalSetup.ts)
    const sql = postgresSql(pgDatabase!)
    const student = await createStudent(payload)
    const user = { ...(await payload.findByID({ collection: 'students', id: student.id })), collection: 'students' as const }
    // A table of a few dozen rows is read whole whatever the query (PostgreSQL's planner prefers it): give it the size
    // of a real one, and statistics that say so, as whatever other files left in this database may not.
    const fillerTag = `storage-flavor-filler-${Date.now().toString(36)}`
    await db.collection('students').insertMany(Array.from({ length: 2_000 }, (_, n) => ({ email: `${fillerTag}-${n}@example.invalid`, fullName: fillerTag })))
    const tables = (await sql(`SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables WHERE relname LIKE 'students\\_%'`)).split('\n').filter(Boolean)
    for (const table of tables) await sql(`ANALYZE ${table}`)
    const reads = 20
    const seqScansOfStudents = async () => {
      await afterStatsReported()
      return Number(await sql(`SELECT sum(seq_scan) FROM pg_stat_user_tables WHERE relname LIKE 'students\\_%'`))
    }
    const readOwnAccount = async () => {
      for (let i = 0; i < reads; i++) {
        const found = await payload.findByID({ collection: 'students', id: student.id, overrideAccess: false, user })
        expect(found.id).toBe(student.id)
      }
    }
    const counts = [await seqScansOfStudents()]
    for (const flavor of ['mongodb', 'ferretdb'] as const) {
      withFlavor(flavor) // 'mongodb' switches the lifting off (MongoDB's planner does not need it)
      await readOwnAccount()
      counts.push(await seqScansOfStudents())
    }
    await db.collection('students').deleteMany({ fullName: fillerTag })
    const [unlifted, lifted] = [counts[1] - counts[0], counts[2] - counts[1]]
    console.log(`${reads} reads of a student's own account: ${unlifted} sequential scans as sent by Payload, ${lifted} with $and lifted`)
    expect(unlifted).toBeGreaterThanOrEqual(reads)
    expect(lifted).toBeLessThan(reads / 10)
  }, 90_000)
})
