import { describe, expect, it } from '@jest/globals'

import { safeNextPath } from '../../../src/lib/nextPath'

describe('safeNextPath', () => {
  it('keeps a path on this site with its query', () => {
    expect(safeNextPath('/tutors/ada-lovelace/confirm?start=2026-12-09T10:00:00.000Z&duration=60')).toBe(
      '/tutors/ada-lovelace/confirm?start=2026-12-09T10:00:00.000Z&duration=60',
    )
    expect(safeNextPath('/account')).toBe('/account')
  })

  it.each([
    ['another origin', 'https://evil.example/'],
    ['protocol-relative', '//evil.example/path'],
    ['backslash', '/\\evil.example'],
    ['backslash later', '/a\\b'],
    ['tab trick', '/\t/evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['relative without slash', 'tutors/ada'],
    ['the API', '/api/students/me'],
    ['the admin', '/admin'],
    ['empty', ''],
    ['too long', `/${'a'.repeat(600)}`],
    ['not a string', ['/account']],
  ])('refuses %s', (_name, value) => {
    expect(safeNextPath(value)).toBeNull()
  })
})
