import { Writable } from 'node:stream'

import { describe, expect, it } from '@jest/globals'
import { MongoServerError } from 'mongodb'
import pino from 'pino'

import { payloadLoggerConfig } from '../../../src/lib/logger'
import { runInRequestContext } from '../../../src/lib/requestContext'

/** Payload's logger as configured for production, writing JSON lines into memory. */
function payloadLogger(): { log: pino.Logger; lines: () => Record<string, any>[] } {
  const chunks: string[] = []
  const sink = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) })
  const log = pino(payloadLoggerConfig(true).options, sink)
  return { log, lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) }
}

const tooManyClients = new MongoServerError({ ok: 0, code: 1, codeName: 'InternalError', errmsg: 'failed to connect: FATAL: sorry, too many clients already (SQLSTATE 53300)' })

describe("Payload's logger", () => {
  it('writes a storage error a retry can cure as one warning, with the request and without a stack', () => {
    const { log, lines } = payloadLogger()
    runInRequestContext({ method: 'POST', path: '/api/appointments' }, () => log.error({ err: tooManyClients }))
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 40,
        event: 'storage.unavailable',
        request: { method: 'POST', path: '/api/appointments' },
        storageError: { name: 'MongoServerError', code: 1, message: expect.stringContaining('too many clients') },
        msg: 'database unavailable; a retry can succeed',
      }),
    ])
    expect(JSON.stringify(lines())).not.toContain('"stack"')
  })

  it('keeps the event and message of a step that tolerated the failure', () => {
    const { log, lines } = payloadLogger()
    log.error({ event: 'email.intent_failed', err: tooManyClients }, 'Could not record the mail intent')
    expect(lines()).toEqual([expect.objectContaining({ level: 40, event: 'email.intent_failed', msg: 'Could not record the mail intent', storageError: expect.objectContaining({ code: 1 }) })])
  })

  it('leaves every other error as it was: an error, with its stack', () => {
    const { log, lines } = payloadLogger()
    log.error({ err: new MongoServerError({ ok: 0, code: 2, errmsg: 'unknown operator: $foo' }) })
    expect(lines()).toEqual([expect.objectContaining({ level: 50, err: expect.objectContaining({ message: 'unknown operator: $foo', stack: expect.any(String) }) })])
  })
})
