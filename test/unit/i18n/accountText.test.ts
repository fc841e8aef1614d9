import { describe, expect, it } from '@jest/globals'
import { en as payloadEnglish } from '@payloadcms/translations/languages/en'

import { accountSentenceKey, localizeAccountSentence, localizeAnswerBody } from '../../../src/i18n/accountText'
import { messagesFor } from '../../../src/i18n/catalog'
import { timeZoneErrorMessage } from '../../../src/scheduling/timeZones'
import { passwordProblem } from '../../../src/security/passwordPolicy'

const keys = (value: unknown): string[] => Object.keys((value ?? {}) as object).sort()

describe('account sentences (FieldErrors) in the requester language', () => {
  it('every FieldErrors key exists in every language', () => {
    expect(keys(messagesFor('es').FieldErrors)).toEqual(keys(messagesFor('en').FieldErrors))
    expect(keys(messagesFor('en').FieldErrors).length).toBeGreaterThan(20)
  })

  it('knows what the password policy, the zone check and Payload itself say, with their params', () => {
    const made = [
      passwordProblem(''),
      passwordProblem('short one'),
      passwordProblem('x'.repeat(200)),
      passwordProblem('Sunshine2024!!'),
      passwordProblem('sam.sample@example.com', { email: 'sam.sample@example.com' }),
      timeZoneErrorMessage('Mars/Olympus'),
      payloadEnglish.translations.validation.required,
      payloadEnglish.translations.validation.emailAddress,
      payloadEnglish.translations.error.emailOrPasswordIncorrect,
      payloadEnglish.translations.error.tokenInvalidOrExpired,
      payloadEnglish.translations.error.unverifiedEmail,
    ]
    for (const english of made) {
      expect(accountSentenceKey(english as string)).not.toBeNull()
      const spanish = localizeAccountSentence(english as string, 'es')
      expect(spanish).not.toBe(english)
      expect(spanish).not.toMatch(/[{}]/)
    }
    expect(localizeAccountSentence(passwordProblem('short one')!, 'es')).toBe(
      'Usa al menos 12 caracteres (esta tiene 9). Unas cuantas palabras sin relación entre sí, con espacios, forman una contraseña segura y fácil de recordar.',
    )
    expect(localizeAccountSentence(timeZoneErrorMessage('Mars/Olympus'), 'es')).toMatch(/^«Mars\/Olympus» no es una zona horaria IANA válida/)
  })

  it('leaves English, unknown sentences, codes and paths as they were', () => {
    expect(localizeAccountSentence('Something nobody wrote down.', 'es')).toBe('Something nobody wrote down.')
    const body = {
      errors: [
        {
          name: 'ValidationError',
          message: 'The following field is invalid: phone',
          data: { collection: 'students', errors: [{ path: 'phone', message: 'Enter a phone number of digits, spaces and + ( ) - . only, e.g. +44 20 7946 0958.' }] },
        },
      ],
    }
    expect(localizeAnswerBody(body, 'en')).toBe(body)
    const spanish = localizeAnswerBody(body, 'es')
    expect(spanish.errors[0].message).toBe('Este campo no es válido: phone')
    expect(spanish.errors[0].data).toEqual({ collection: 'students', errors: [{ path: 'phone', message: expect.stringMatching(/^Escribe un número de teléfono/) }] })
    const refusal = { errors: [{ message: 'Too many attempts. Try again in 42 seconds.', data: { code: 'RATE_LIMITED', retryAfterSeconds: 42 } }] }
    expect(localizeAnswerBody(refusal, 'es')).toEqual({ errors: [{ message: 'Demasiados intentos. Inténtalo de nuevo dentro de 42 segundos.', data: { code: 'RATE_LIMITED', retryAfterSeconds: 42 } }] })
  })
})
