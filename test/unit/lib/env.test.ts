import { afterEach, describe, expect, it } from '@jest/globals'

import { allowedOrigins, loopbackSpellings } from '../../../src/lib/env'

/** Browser origins Payload's CORS and CSRF checks accept (src/payload.config.ts: cors, csrf). */
const saved = { NODE_ENV: process.env.NODE_ENV, SERVER_URL: process.env.SERVER_URL, ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS }

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

const withEnv = (env: Record<string, string | undefined>) => {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}

describe('allowedOrigins', () => {
  it('in development, a loopback SERVER_URL also allows the other loopback spellings on its port', () => {
    withEnv({ NODE_ENV: 'development', SERVER_URL: 'http://localhost:3100', ALLOWED_ORIGINS: undefined })
    expect(allowedOrigins()).toEqual(['http://localhost:3100', 'http://127.0.0.1:3100', 'http://[::1]:3100'])
    withEnv({ SERVER_URL: 'http://127.0.0.1:3000' })
    expect(allowedOrigins()).toEqual(expect.arrayContaining(['http://127.0.0.1:3000', 'http://localhost:3000']))
  })

  it('in production, exactly SERVER_URL and ALLOWED_ORIGINS, loopback or not', () => {
    withEnv({ NODE_ENV: 'production', SERVER_URL: 'http://localhost:3000', ALLOWED_ORIGINS: 'https://partner.example.com/' })
    expect(allowedOrigins()).toEqual(['http://localhost:3000', 'https://partner.example.com'])
  })

  it('never widens a public SERVER_URL, in development either', () => {
    withEnv({ NODE_ENV: 'development', SERVER_URL: 'https://tutortrack.example.com', ALLOWED_ORIGINS: undefined })
    expect(allowedOrigins()).toEqual(['https://tutortrack.example.com'])
    expect(loopbackSpellings('http://localhost.example.com:3000')).toEqual([])
    expect(loopbackSpellings('not a url')).toEqual([])
  })
})
