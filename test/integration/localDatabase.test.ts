import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { MongoClient, ObjectId } from 'mongodb'

import { startLocalDatabase, type LocalDatabase } from '../../scripts/local-db'
import { afterStatsReported, postgresSql } from '../helpers/postgres'

/**
 * The local stand-in (FerretDB on PostgreSQL) answers `_id` lookups from an index, as MongoDB does: FerretDB 1.24
 * writes `{ _id: x }` as jsonb containment, which only the GIN index our launcher adds can serve. And it groups
 * commits, as MongoDB's journal does (tools/ferretdb/local_tuning.go). Both hold as a collection grows.
 */
describe('local database on PostgreSQL', () => {
  let database: LocalDatabase
  let client: MongoClient
  const sql = (query: string) => postgresSql(database.postgresDatabase!)(query)

  beforeAll(async () => {
    const saved = { LOCAL_DB_STORAGE: process.env.LOCAL_DB_STORAGE, LOCAL_DB_PG_MAX_CONNS: process.env.LOCAL_DB_PG_MAX_CONNS }
    process.env.LOCAL_DB_STORAGE = 'postgresql' // fails to start, rather than falling back, without PostgreSQL
    process.env.LOCAL_DB_PG_MAX_CONNS = '24' // as test/setup/globalSetup.ts sets it for every run
    try {
      database = await startLocalDatabase({ fresh: true, dbName: 'tutortrack_idlookup', ignoreEnvironment: true, log: () => undefined })
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
    client = new MongoClient(database.uri)
  }, 60_000)

  afterAll(async () => {
    await client?.close()
    await database?.stop()
  })

  it('a collection created through FerretDB gets the index, and the lookup plan uses it', async () => {
    expect(database.storage).toBe('postgresql')
    const probes = client.db().collection<{ _id: ObjectId; n: number }>('lookup_probe')
    const docs = Array.from({ length: 2_000 }, (_, n) => ({ _id: new ObjectId(), n }))
    await probes.insertMany(docs)
    expect(await probes.findOne({ _id: docs[1234]._id })).toEqual(docs[1234])
    expect((await probes.deleteOne({ _id: docs[5]._id })).deletedCount).toBe(1)

    const table = await sql(`SELECT format('%I.%I', schemaname, tablename) FROM pg_indexes WHERE indexname LIKE 'lookup_probe%\\_id\\_lookup'`)
    expect(table).toMatch(/^tutortrack_idlookup\.lookup_probe/)
    await sql(`ANALYZE ${table}`)
    const plan = await sql(`EXPLAIN SELECT _jsonb FROM ${table} WHERE _jsonb->'_id' @> '${JSON.stringify(docs[1234]._id.toHexString())}'`)
    expect(plan).toMatch(/Index Scan/)
  }, 60_000)

  it('keeps reads by _id on the index while a collection grows under them (no generic plan scanning the table)', async () => {
    // FerretDB prepares `_jsonb->$1 @> $2` once per shape; PostgreSQL's generic plan for it cannot use the index, and
    // without plan_cache_mode = force_custom_plan the reads went to whole-table scans past ~1,000 documents.
    expect(await sql('SHOW plan_cache_mode')).toBe('force_custom_plan')
    const log = client.db().collection<{ _id: string; refs: string[] }>('growing_log')
    await log.insertOne({ _id: 'k:0', refs: [] })
    const table = await sql(`SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables WHERE relname LIKE 'growing\\_log%'`)
    const seqScans = async () => Number(await sql(`SELECT seq_scan FROM pg_stat_user_tables WHERE format('%I.%I', schemaname, relname) = '${table}'`))
    const before = await seqScans()
    let reads = 0
    for (let size = 1; size < 2_000; ) {
      await log.insertMany(Array.from({ length: 50 }, () => ({ _id: `k:${size++}`, refs: ['a'] })))
      for (let i = 0; i < 20; i++, reads++) expect(await log.findOne({ _id: `k:${(i * 37 + size) % size}` })).not.toBeNull()
    }
    await afterStatsReported()
    const scans = (await seqScans()) - before
    console.log(`growing_log: ${reads} reads by _id up to 2,000 documents, ${scans} sequential scans`)
    expect(scans).toBeLessThan(reads / 10)
  }, 120_000)

  it('reclaims the dead rows that updates and deletes leave, so a churning collection does not grow (autovacuum is off here)', async () => {
    // Claims, the mail queue and rate-limit hits are inserted and deleted all day. Unvacuumed, a soak left 14,610 dead
    // claim rows beside 556 live ones, read by every scan of the table.
    const churn = client.db().collection<{ _id: string; holder: string }>('churning_claims')
    for (let round = 0; round < 6; round++) {
      await churn.insertMany(Array.from({ length: 500 }, (_, i) => ({ _id: `c:${round}:${i}`, holder: `h${i % 7}` })))
      await churn.deleteMany({ holder: { $ne: 'h0' } })
    }
    const table = await sql(`SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables WHERE relname LIKE 'churning\\_claims%'`)
    // live, dead, times vacuumed (by the launcher or, where it is on, autovacuum)
    const counts = async () =>
      (
        await sql(
          `SELECT n_live_tup || ' ' || n_dead_tup || ' ' || (vacuum_count + autovacuum_count) FROM pg_stat_user_tables WHERE format('%I.%I', schemaname, relname) = '${table}'`,
        )
      )
        .split(' ')
        .map(Number)
    // Stats arrive within ~10 s; the launcher looks every 10 s (autovacuum itself, where on, every minute).
    let [live, dead, vacuums] = await counts()
    const deadline = Date.now() + 90_000
    while ((vacuums === 0 || dead > 50 + 0.2 * live) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      ;[live, dead, vacuums] = await counts()
    }
    console.log(`churning_claims: ${live} live and ${dead} dead rows, vacuumed ${vacuums} times`)
    expect(await churn.countDocuments()).toBe(6 * 72)
    expect(vacuums).toBeGreaterThan(0)
    expect(dead).toBeLessThanOrEqual(50 + 0.2 * live)
  }, 150_000)

  it('keeps at most LOCAL_DB_PG_MAX_CONNS PostgreSQL connections under a burst and lets idle ones go, leaving room for the instances beside it', async () => {
    // FerretDB's own default is 50 per instance, kept for half an hour; bursting instances in two test lanes filled
    // PostgreSQL's 100 and a replica in a third could not start ("too many clients already").
    const scans = client.db().collection<{ n: number; text: string }>('burst_probe')
    await scans.insertMany(Array.from({ length: 3_000 }, (_, n) => ({ n, text: 'x'.repeat(200) })))
    const connections = async () => Number(await sql(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'FerretDB'`))
    let most = 0
    let bursting = true
    const watching = (async () => {
      while (bursting) {
        most = Math.max(most, await connections())
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    })()
    // Regex filters are not pushed down to PostgreSQL: each find holds a connection while it reads the whole table.
    await Promise.all(Array.from({ length: 80 }, () => scans.find({ text: { $regex: 'y' } }).toArray()))
    bursting = false
    await watching
    expect(most).toBeGreaterThan(12)
    expect(most).toBeLessThanOrEqual(24)

    // Idle for a minute, a connection is closed at the pool's next check (every 10 s).
    const deadline = Date.now() + 100_000
    let left = await connections()
    while (left > 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      left = await connections()
    }
    expect(left).toBeLessThanOrEqual(2)
  }, 180_000)

  it("groups commits like MongoDB's journal instead of waiting for an fsync per write", async () => {
    expect(await sql('SHOW synchronous_commit')).toBe('off')
  })
})
