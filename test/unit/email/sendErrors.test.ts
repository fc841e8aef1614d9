import { describe, expect, it } from '@jest/globals'

import { classifySendError, describeSendError } from '../../../src/email/sendErrors'

/** Shaped like AWS SDK v3 service exceptions (name, $fault, $metadata), as nodemailer passes them on. */
const sesError = (name: string, status: number, message = `${name} happened`) =>
  Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, code: 'ESES' })

describe('classifySendError', () => {
  it.each([
    ['TooManyRequestsException', 429],
    ['ThrottlingException', 400],
    ['LimitExceededException', 400],
    ['InternalFailure', 500],
    ['ServiceUnavailable', 503],
  ])('retries SES %s', (name, status) => {
    expect(classifySendError(sesError(name, status))).toMatchObject({ retry: true, code: name })
  })

  it.each([
    ['MessageRejected', 400],
    ['MailFromDomainNotVerifiedException', 400],
    ['AccountSuspendedException', 400],
    ['BadRequestException', 400],
    ['SendingPausedException', 400],
  ])('gives up on SES %s', (name, status) => {
    expect(classifySendError(sesError(name, status))).toMatchObject({ retry: false, code: name })
  })

  it('retries any 5xx and gives up on other 4xx, naming the status when the SDK could not name the error', () => {
    expect(classifySendError(sesError('Unknown', 502, 'Bad Gateway'))).toEqual({ retry: true, code: 'HTTP 502', message: 'Bad Gateway' })
    expect(classifySendError(sesError('Unknown', 400, 'Bad Request Exception'))).toEqual({
      retry: false,
      code: 'HTTP 400',
      message: 'Bad Request Exception',
    })
    expect(classifySendError(sesError('SomethingNew', 403))).toMatchObject({ retry: false, code: 'SomethingNew' })
  })

  it('retries network failures, also when wrapped in a cause or an AggregateError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8005'), { code: 'ECONNREFUSED', errno: -111 })
    expect(classifySendError(refused)).toMatchObject({ retry: true, code: 'ECONNREFUSED' })
    expect(classifySendError(new Error('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }))).toMatchObject({
      retry: true,
      code: 'ECONNRESET',
    })
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ETIMEDOUT' })], ''), { code: 'ETIMEDOUT' })
    expect(classifySendError(aggregate)).toMatchObject({ retry: true, code: 'ETIMEDOUT' })
    expect(classifySendError(Object.assign(new Error('slow'), { name: 'TimeoutError' }))).toMatchObject({ retry: true })
  })

  it('gives up on messages nodemailer itself cannot build', () => {
    expect(classifySendError(Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' }))).toMatchObject({ retry: false, code: 'EENVELOPE' })
  })

  it('retries an error it cannot place (the attempt limit bounds it)', () => {
    expect(classifySendError('weird')).toEqual({ retry: true, code: 'Error', message: 'weird' })
  })

  it('describes the error for the outbox without repeating the code', () => {
    expect(describeSendError({ retry: false, code: 'MessageRejected', message: 'Email address is not verified.' })).toBe(
      'MessageRejected: Email address is not verified.',
    )
    expect(describeSendError({ retry: true, code: 'ECONNREFUSED', message: 'ECONNREFUSED 127.0.0.1' })).toBe('ECONNREFUSED 127.0.0.1')
  })
})
