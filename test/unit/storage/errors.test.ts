import { describe, expect, it } from '@jest/globals'
import { GraphQLError } from 'graphql'
import { MongoBulkWriteError, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb'
import mongoose from 'mongoose'

import { describeStorageError, isRetryableStorageError } from '../../../src/storage/errors'

/**
 * Which storage errors answer 503 + Retry-After (a retry can cure them) and which stay what they are. The
 * errors are the driver's own classes, shaped as the servers send them; FerretDB's texts are those it sent in
 * test/integration/storageUnavailable.test.ts.
 */
const ferretdb = (errmsg: string) => new MongoServerError({ ok: 0, code: 1, codeName: 'InternalError', errmsg })

const TOO_MANY_CLIENTS =
  '[msg_insert.go:168 handler.(*Handler).MsgInsert] failed to connect to `user=postgres database=tutortrack_local_x`:\n\t127.0.0.1:5432 (127.0.0.1): server error: FATAL: sorry, too many clients already (SQLSTATE 53300)'

describe('isRetryableStorageError', () => {
  it.each([
    ['a refused or reset connection', new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017')],
    ['no server selected in time', new MongoServerSelectionError('Server selection timed out after 30000 ms', { error: undefined } as never)],
    ['Mongoose giving up on queued operations while disconnected', new mongoose.Error('Operation `users.findOne()` buffering timed out after 10000ms')],
    ['FerretDB: PostgreSQL has no connection left ("too many clients")', ferretdb(TOO_MANY_CLIENTS)],
    ['FerretDB: a role or database connection limit', ferretdb('failed to connect: FATAL: too many connections for role "tt" (SQLSTATE 53300)')],
    ['FerretDB: its PostgreSQL connection was terminated', ferretdb('[msg_find.go:344] FATAL: terminating connection due to administrator command (SQLSTATE 57P01)')],
    ['FerretDB on SQLite: the database file is locked', ferretdb('database is locked (5) (SQLITE_BUSY)')],
    ['MongoDB: a write conflict', new MongoServerError({ ok: 0, code: 112, codeName: 'WriteConflict', errmsg: 'WriteConflict error' })],
    ['MongoDB: the primary stepped down', new MongoServerError({ ok: 0, code: 189, codeName: 'PrimarySteppedDown', errmsg: 'stepped down' })],
    ['MongoDB: a server-labelled retryable write', new MongoServerError({ ok: 0, code: 50, errmsg: 'x', errorLabels: ['RetryableWriteError'] })],
    ['the same inside a GraphQL error', new GraphQLError('x', { originalError: new MongoNetworkError('socket hang up') })],
    ['the same as the cause of another error', new Error('could not load', { cause: ferretdb(TOO_MANY_CLIENTS) })],
  ])('yes: %s', (_label, error) => {
    expect(isRetryableStorageError(error)).toBe(true)
  })

  it('yes: an unordered insert whose documents failed for want of a connection', () => {
    const error = new MongoBulkWriteError(
      { message: 'bulk', code: 1, writeErrors: [{ index: 0, code: 1, errmsg: TOO_MANY_CLIENTS }] as never } as never,
      { insertedCount: 0 } as never,
    )
    expect(isRetryableStorageError(error)).toBe(true)
  })

  it.each([
    ['a duplicate key (a claim or a unique email: a real answer, not an outage)', new MongoServerError({ ok: 0, code: 11000, errmsg: 'E11000 duplicate key error' })],
    ['FerretDB refusing something it does not support', ferretdb('$lookup is not implemented yet')],
    ['a bad query', new MongoServerError({ ok: 0, code: 2, codeName: 'BadValue', errmsg: 'unknown operator: $foo' })],
    ['an error of our own code', new Error('connection refused by policy')],
    ['nothing at all', undefined],
  ])('no: %s', (_label, error) => {
    expect(isRetryableStorageError(error)).toBe(false)
  })

  it('no: an unordered insert whose failures are all duplicates (the claims were taken)', () => {
    const error = new MongoBulkWriteError(
      { message: 'bulk', code: 11000, writeErrors: [{ index: 0, code: 11000, errmsg: 'E11000 duplicate key error' }] as never } as never,
      { insertedCount: 0 } as never,
    )
    expect(isRetryableStorageError(error)).toBe(false)
  })
})

describe('describeStorageError', () => {
  it('names the error that is the outage, on one line, without the wrapper around it', () => {
    expect(describeStorageError(new GraphQLError('x', { originalError: ferretdb(TOO_MANY_CLIENTS) }))).toEqual({
      name: 'MongoServerError',
      code: 1,
      message: expect.stringMatching(/^\[msg_insert\.go:168 .*too many clients already \(SQLSTATE 53300\)$/),
    })
  })
})
