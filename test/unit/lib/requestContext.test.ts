import { describe, expect, it } from '@jest/globals'

import { currentRequest, loggablePath, requestLogFields, runInRequestContext } from '../../../src/lib/requestContext'

describe('request context of log lines', () => {
  it('names the request a line was written for, also after awaits, and nothing outside one', async () => {
    expect(requestLogFields()).toEqual({})
    const fields = await runInRequestContext({ method: 'POST', path: '/api/appointments' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return requestLogFields()
    })
    expect(fields).toEqual({ request: { method: 'POST', path: '/api/appointments' } })
    expect(currentRequest()).toBeUndefined()
  })

  it('masks path segments that may be secrets (the email-verification token), not document ids', () => {
    expect(loggablePath('/api/students/verify/4c2d4bd1b496469a87e1b7e00725f451d9d4154f')).toBe('/api/students/verify/[redacted]')
    expect(loggablePath('/api/appointments/6b151c94eba4ca512484bef2/cancel')).toBe('/api/appointments/6b151c94eba4ca512484bef2/cancel')
    expect(runInRequestContext({ method: 'POST', path: '/api/students/verify/4c2d4bd1b496469a87e1b7e00725f451d9d4154f' }, requestLogFields)).toEqual({
      request: { method: 'POST', path: '/api/students/verify/[redacted]' },
    })
  })
})
