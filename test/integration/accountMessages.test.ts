import { afterAll, describe, expect, it } from '@jest/globals'

import { settleForgotPasswordWork } from '../../collections/shared/authEndpoints/forgotPassword'
import { api, testPayload, uniqueEmail } from '../helpers/api'

/**
 * The account endpoints answer in the requester's language (issue #16): Accept-Language for anyone, the
 * student's profile language once signed in. Codes, fields, paths and statuses stay what they are in English.
 */
const PASSWORD = 'correct horse battery staple'
const SPANISH = { 'Accept-Language': 'es-ES,es;q=0.9' }

const fieldMessages = (body: any): Record<string, string> =>
  Object.fromEntries((body?.errors?.[0]?.data?.errors ?? []).map((entry: { path: string; message: string }) => [entry.path, entry.message]))
// The forgot-password requests are handled a moment after the answer: let them finish before the database stops.
afterAll(async () => {
  await settleForgotPasswordWork()
})

const message = (body: any): string => body?.errors?.[0]?.message ?? ''

async function verifiedStudent(label: string, language?: string): Promise<string> {
  const email = uniqueEmail(label)
  await (await testPayload()).create({ collection: 'students', data: { email, password: PASSWORD, fullName: 'Lu Lengua', timeZone: 'UTC', _verified: true, ...(language ? { language } : {}) }, disableVerificationEmail: true })
  return email
}

describe('registration refusals in the browser language', () => {
  it('a bad phone, zone and language are refused per field in Spanish, nothing is created', async () => {
    const email = uniqueEmail('es-fields')
    const refused = await api('POST', '/api/students', {
      headers: SPANISH,
      body: { email, password: PASSWORD, fullName: 'Pat Prueba', timeZone: 'Mars/Olympus', phone: 'call me maybe', language: 'xx' },
    })
    expect(refused.status).toBe(400)
    const fields = fieldMessages(refused.body)
    expect(fields.phone).toBe('Escribe un número de teléfono solo con dígitos, espacios y + ( ) - ., p. ej. +34 912 345 678.')
    expect(fields.timeZone).toBe('«Mars/Olympus» no es una zona horaria IANA válida. Usa un nombre como «Europe/Madrid» o «America/Mexico_City».')
    expect(fields.language).toBe('Elige uno de los idiomas del sitio: en, es.')
    expect(message(refused.body)).toMatch(/^Estos campos no son válidos: /)
    expect((await (await testPayload()).find({ collection: 'students', where: { email: { equals: email } } })).totalDocs).toBe(0)
  })

  it('a common password and a bad email address, in Spanish; the same request in English is unchanged', async () => {
    const body = { email: uniqueEmail('es-password'), password: 'Sunshine2024!!', fullName: 'Pat Prueba', timeZone: 'UTC' }
    const spanish = await api('POST', '/api/students', { headers: SPANISH, body })
    expect(spanish.status).toBe(400)
    expect(fieldMessages(spanish.body).password).toBe(
      'Esta contraseña está en una lista de contraseñas comunes que los atacantes prueban primero. Elige algo menos previsible, p. ej. unas cuantas palabras sin relación entre sí.',
    )
    const english = await api('POST', '/api/students', { body })
    expect(english.status).toBe(400)
    expect(fieldMessages(english.body).password).toMatch(/^This password is on a list of common passwords/)

    const badEmail = await api('POST', '/api/students', { headers: SPANISH, body: { email: 'not-an-address', password: PASSWORD, fullName: 'Pat', timeZone: 'UTC' } })
    expect(badEmail.status).toBe(400)
    expect(fieldMessages(badEmail.body).email).toBe('Escribe una dirección de correo electrónico válida.')
  })

  it('the success answer too', async () => {
    const created = await api('POST', '/api/students', { headers: SPANISH, body: { email: uniqueEmail('es-ok'), password: PASSWORD, fullName: 'Pat Prueba', timeZone: 'Europe/Madrid', language: 'es' } })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ message: '¡Gracias! Revisa tu bandeja de entrada: te hemos enviado un correo para terminar de crear tu cuenta.' })
  })
})

describe('sign-in, links and limits in the browser language', () => {
  it('a wrong password and an unknown reset link, in Spanish, same statuses', async () => {
    const email = await verifiedStudent('es-login')
    const wrong = await api('POST', '/api/students/login', { headers: SPANISH, body: { email, password: 'not the password at all' } })
    expect(wrong.status).toBe(401)
    expect(message(wrong.body)).toBe('El correo electrónico o la contraseña no son correctos.')
    const english = await api('POST', '/api/students/login', { body: { email, password: 'not the password at all' } })
    expect(message(english.body)).toBe('The email or password provided is incorrect.')

    const reset = await api('POST', '/api/students/reset-password', { headers: SPANISH, body: { token: 'f'.repeat(40), password: 'a brand new passphrase here' } })
    expect(reset.status).toBe(403)
    expect(message(reset.body)).toMatch(/^Este enlace para cambiar la contraseña no es válido o ha caducado/)

    const verify = await api('POST', `/api/students/verify/${'e'.repeat(40)}`, { headers: SPANISH })
    expect(verify.status).toBe(403)
    expect(verify.body.errors[0].data).toEqual({ code: 'VERIFICATION_LINK_INVALID' })
    expect(message(verify.body)).toMatch(/^Este enlace de confirmación no es válido o ha caducado/)
  })

  it('a rate-limit refusal in Spanish keeps its code and Retry-After', async () => {
    const email = uniqueEmail('es-limit')
    let last = await api('POST', '/api/students/forgot-password', { headers: SPANISH, body: { email } })
    for (let attempt = 0; attempt < 6 && last.status !== 429; attempt++) last = await api('POST', '/api/students/forgot-password', { headers: SPANISH, body: { email } })
    expect(last.status).toBe(429)
    expect(last.body.errors[0].data.code).toBe('RATE_LIMITED')
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(message(last.body)).toMatch(/^Demasiados intentos\. Inténtalo de nuevo dentro de \d+ (segundos|minutos)\.$/)
  })
})

describe('change-password in the student profile language', () => {
  it("a student whose language is 'es' gets Spanish refusals, whatever the browser says", async () => {
    const email = await verifiedStudent('es-change', 'es')
    const token = (await api('POST', '/api/students/login', { body: { email, password: PASSWORD } })).body.token as string
    const change = (body: unknown) => api('POST', '/api/students/change-password', { token, headers: { 'Accept-Language': 'en' }, body })

    const wrong = await change({ currentPassword: 'not it at all, sorry', newPassword: 'velvet thunder on a tuesday' })
    expect(wrong.status).toBe(400)
    expect(wrong.body.errors[0].data).toEqual({ code: 'WRONG_PASSWORD', field: 'currentPassword' })
    expect(message(wrong.body)).toBe('Tu contraseña actual no es la que has escrito. Inténtalo de nuevo, o cierra la sesión y usa «¿Olvidaste tu contraseña?».')

    const short = await change({ currentPassword: PASSWORD, newPassword: 'too short' })
    expect(short.status).toBe(400)
    expect(short.body.errors[0].data).toEqual({ code: 'INVALID_PASSWORD', field: 'newPassword' })
    expect(message(short.body)).toBe('Usa al menos 12 caracteres (esta tiene 9). Unas cuantas palabras sin relación entre sí, con espacios, forman una contraseña segura y fácil de recordar.')

    const missing = await change({ currentPassword: PASSWORD })
    expect(message(missing.body)).toBe('Escribe una contraseña nueva.')

    const done = await change({ currentPassword: PASSWORD, newPassword: 'velvet thunder on a tuesday' })
    expect(done.status).toBe(200)
    expect(done.body.message).toBe('Tu contraseña ha cambiado. Se ha cerrado la sesión en los demás dispositivos.')
  })
})
