import { describe, expect, it } from '@jest/globals'

import { isSaveOf, refusalOnField } from '../../../src/admin/ruleErrors/refusalOnField'

describe('refusalOnField', () => {
  const sentence = 'Ada Lovelace already has a session on Tue 8 Dec, 10:00–11:00 (tutor’s time, Europe/Paris), so 10:00 is not free.'

  it('pins a coded refusal that names a field to that field, with the whole sentence', () => {
    const body = { message: sentence, errors: [{ message: sentence, data: { code: 'SLOT_UNAVAILABLE', field: 'start' } }] }
    expect(refusalOnField(body)).toEqual({ path: 'start', message: sentence })
  })

  it('leaves refusals without a field, without a code, or of another shape to the toast alone', () => {
    expect(refusalOnField({ errors: [{ message: sentence, data: { code: 'FORBIDDEN' } }] })).toBeNull()
    expect(refusalOnField({ errors: [{ message: 'The following field is invalid: start', data: { errors: [{ path: 'start' }] } }] })).toBeNull()
    expect(refusalOnField({ errors: [{ data: { code: 'SLOT_UNAVAILABLE', field: 'start' } }] })).toBeNull()
    expect(refusalOnField(null)).toBeNull()
    expect(refusalOnField('Bad request')).toBeNull()
  })
})

describe('isSaveOf', () => {
  it('matches the PATCH of this document and the POST that creates one, whatever the query', () => {
    expect(isSaveOf({ url: '/api/appointments/abc?depth=0&locale=en', method: 'PATCH' }, '/api', 'appointments', 'abc')).toBe(true)
    expect(isSaveOf({ url: 'http://localhost:3000/api/appointments?depth=0', method: 'post' }, '/api', 'appointments', undefined)).toBe(true)
  })

  it('ignores reads, other documents and other collections', () => {
    expect(isSaveOf({ url: '/api/appointments/abc', method: 'GET' }, '/api', 'appointments', 'abc')).toBe(false)
    expect(isSaveOf({ url: '/api/appointments/other', method: 'PATCH' }, '/api', 'appointments', 'abc')).toBe(false)
    expect(isSaveOf({ url: '/api/tutors/abc', method: 'PATCH' }, '/api', 'appointments', 'abc')).toBe(false)
    expect(isSaveOf({ url: '/api/appointments/abc', method: 'PATCH' }, '/api', 'appointments', undefined)).toBe(false)
  })
})
