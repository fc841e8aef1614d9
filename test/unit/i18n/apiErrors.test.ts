import { describe, expect, it } from '@jest/globals'

import { messagesFor } from '../../../src/i18n/catalog'
import { studentRefusalText } from '../../../src/i18n/apiErrors'

// Wed 9 Dec 2026 10:10–11:10 UTC: 11:10–12:10 in Madrid, 21:10–22:10 in Sydney.
const other = { start: Date.UTC(2026, 11, 9, 10, 10), end: Date.UTC(2026, 11, 9, 11, 10) }
const session = { start: Date.UTC(2026, 11, 9, 10, 30), end: Date.UTC(2026, 11, 9, 11, 30) }

describe('booking refusals for the student who asked', () => {
  it('"You already have a session then", in their zone, named', () => {
    expect(studentRefusalText({ code: 'STUDENT_BUSY', session, other }, { locale: 'en', timeZone: 'Europe/Madrid' })).toBe(
      'You already have a session then: Wed 9 Dec 2026 11:10–12:10 (your time, Europe/Madrid). It overlaps the time you chose, Wed 9 Dec 2026 11:30–12:30 (your time, Europe/Madrid). Cancel that one first or choose another time.',
    )
  })

  it('in Spanish, with Spanish dates', () => {
    const text = studentRefusalText({ code: 'STUDENT_BUSY', session, other }, { locale: 'es', timeZone: 'Australia/Sydney' })
    expect(text).toBe(
      'Ya tienes una sesión a esa hora: mié, 9 dic 2026, 21:10–22:10 (tu hora, Australia/Sydney). Se solapa con la hora que elegiste, mié, 9 dic 2026, 21:30–22:30 (tu hora, Australia/Sydney). Cancela esa primero o elige otra hora.',
    )
    const cutoff = studentRefusalText(
      { code: 'CANCELLATION_CUTOFF_PASSED', action: 'cancel', start: session.start, now: session.start - 90 * 60_000, cutoffHours: 24 },
      { locale: 'es', timeZone: 'Europe/Madrid' },
    )
    expect(cutoff).toBe(
      'Puedes cancelar una sesión hasta 24 horas antes de que empiece, y la tuya empieza dentro de 1 hora y 30 minutos, el mié, 9 dic 2026, 11:30 (tu hora, Europe/Madrid). Para pedir un cambio a tu tutor, envíale un mensaje desde la página de esta reserva.',
    )
  })

  it('nearest starts: the date once, "or" in the language', () => {
    const facts = { code: 'NOT_AN_OFFERED_START' as const, tutorName: 'Ana', start: session.start, slotIntervalMinutes: 30, nearest: [other.start - 10 * 60_000, other.start + 20 * 60_000] }
    expect(studentRefusalText(facts, { locale: 'en', timeZone: 'UTC' })).toBe(
      'Ana offers start times every 30 minutes, and Wed 9 Dec 2026 10:30 (your time, UTC) is not one of them. The nearest free starts are Wed 9 Dec 2026 10:00 or 10:30 (your time, UTC).',
    )
    expect(studentRefusalText(facts, { locale: 'es', timeZone: 'UTC' })).toContain('Las horas libres más cercanas son mié, 9 dic 2026, 10:00 o 10:30 (tu hora, UTC).')
  })

  it('every ApiErrors and Mail key exists in every language', () => {
    const keys = (value: unknown, prefix = ''): string[] =>
      value && typeof value === 'object' ? Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}${key}.`)) : [prefix]
    for (const namespace of ['ApiErrors', 'Mail', 'Bookings', 'Booking']) {
      expect(keys(messagesFor('es')[namespace]).sort()).toEqual(keys(messagesFor('en')[namespace]).sort())
    }
  })
})
