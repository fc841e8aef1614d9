import { afterEach, describe, expect, it } from '@jest/globals'
import type { Collection } from 'mongodb'

import { retryBusy } from '../../../src/storage/busyRetry'
import { insertManyIgnoringDuplicates, isDuplicateKeyError } from '../../../src/storage/duplicateKey'
import { flavorOfBuildInfo, forcedStorageFlavor, processStorageFlavor, storageFlavorOf } from '../../../src/storage/flavor'

const forced = process.env.STORAGE_FLAVOR
afterEach(() => {
  if (forced === undefined) delete process.env.STORAGE_FLAVOR
  else process.env.STORAGE_FLAVOR = forced
})

describe('storage flavor', () => {
  it("is 'ferretdb' when buildInfo carries ferretdbVersion, else 'mongodb'", () => {
    expect(flavorOfBuildInfo({ version: '7.0.77', ferretdbVersion: 'v1.24.2', ferretdbFeatures: {} })).toBe('ferretdb')
    expect(flavorOfBuildInfo({ version: '7.0.14', gitVersion: 'abc', ok: 1 })).toBe('mongodb')
  })

  it("answers 'ferretdb' (safe on both) for a database not detected yet", () => {
    delete process.env.STORAGE_FLAVOR
    expect(storageFlavorOf({ databaseName: 'never_detected' })).toBe('ferretdb')
    expect(storageFlavorOf({ dbName: 'never_detected' })).toBe('ferretdb')
    expect(processStorageFlavor()).toBe('ferretdb')
  })

  it('STORAGE_FLAVOR forces one (case and spaces ignored); anything else is ignored', () => {
    process.env.STORAGE_FLAVOR = ' MongoDB '
    expect(forcedStorageFlavor()).toBe('mongodb')
    expect(storageFlavorOf({ dbName: 'never_detected' })).toBe('mongodb')
    process.env.STORAGE_FLAVOR = 'postgres'
    expect(forcedStorageFlavor()).toBeUndefined()
  })
})

describe('duplicate keys', () => {
  const insertFailingWith = (error: unknown) => ({ insertMany: async () => Promise.reject(error) }) as unknown as Collection<{ _id: string }>
  const docs = [{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }]

  it('recognises code 11000 only', () => {
    expect(isDuplicateKeyError({ code: 11000 })).toBe(true)
    expect(isDuplicateKeyError({ code: 11001 })).toBe(false)
    expect(isDuplicateKeyError(undefined)).toBe(false)
  })

  it('insertManyIgnoringDuplicates returns the refused indexes (a list, one error, or nested codes)', async () => {
    expect(await insertManyIgnoringDuplicates(insertFailingWith({ writeErrors: [{ index: 0, code: 11000 }, { index: 2, err: { code: 11000 } }] }), docs)).toEqual(new Set([0, 2]))
    expect(await insertManyIgnoringDuplicates(insertFailingWith({ writeErrors: { index: 1, code: 11000 } }), docs)).toEqual(new Set([1]))
    expect(await insertManyIgnoringDuplicates(insertFailingWith(new Error('never called')), [])).toEqual(new Set())
  })

  it('insertManyIgnoringDuplicates throws anything but duplicates', async () => {
    const mixed = { writeErrors: [{ index: 0, code: 11000 }, { index: 1, code: 121 }] }
    await expect(insertManyIgnoringDuplicates(insertFailingWith(mixed), docs)).rejects.toBe(mixed)
    const outage = new Error('connection reset')
    await expect(insertManyIgnoringDuplicates(insertFailingWith(outage), docs)).rejects.toBe(outage)
  })
})

describe('retryBusy', () => {
  const busyThenOk = () => {
    let calls = 0
    const operation = async () => {
      calls += 1
      if (calls === 1) throw new Error('database is locked (5) (SQLITE_BUSY)')
      return 'ok'
    }
    return { operation, calls: () => calls }
  }

  it('on ferretdb repeats a write SQLite refused as busy', async () => {
    process.env.STORAGE_FLAVOR = 'ferretdb'
    const busy = busyThenOk()
    expect(await retryBusy(busy.operation)).toBe('ok')
    expect(busy.calls()).toBe(2)
  })

  it('on mongodb runs the operation once', async () => {
    process.env.STORAGE_FLAVOR = 'mongodb'
    const busy = busyThenOk()
    await expect(retryBusy(busy.operation)).rejects.toThrow('SQLITE_BUSY')
    expect(busy.calls()).toBe(1)
  })
})
