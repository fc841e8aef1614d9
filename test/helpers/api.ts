import { getPayload, handleEndpoints, type Payload } from 'payload'

import { configWithoutTypeGeneration as config } from '../../src/lib/configWithoutTypeGeneration'
import { mongoDb } from '../../src/storage/db'
import { detectStorageFlavor } from '../../src/storage/flavor'

/** The Payload instance the in-process tests share (same config and database as the app), its storage flavor known. */
export async function testPayload(): Promise<Payload> {
  const payload = await getPayload({ config })
  await detectStorageFlavor(mongoDb(payload))
  return payload
}

export type ApiResponse<T = any> = { status: number; body: T; headers: Headers }

type CallOptions = { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string }

/**
 * Calls the REST API through Payload's real route handler (the same `handleEndpoints` the Next route
 * `src/app/(payload)/api/[...slug]/route.ts` uses), with a real Fetch Request.
 */
export async function api<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers = new Headers(options.headers)
  if (options.token) headers.set('Authorization', `JWT ${options.token}`)
  let body: string | undefined = options.rawBody
  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(options.body)
  }
  const request = new Request(`${process.env.SERVER_URL}${path}`, { method, headers, body })
  const response = await handleEndpoints({ config, request })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // Not JSON: keep the text so assertions can show it.
  }
  return { status: response.status, body: parsed as T, headers: response.headers }
}

/** Sends a GraphQL operation through Payload's real GraphQL route handler. */
export async function graphql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<ApiResponse<T>> {
  const { GRAPHQL_POST } = await import('@payloadcms/next/routes')
  const headers = new Headers({ 'Content-Type': 'application/json' })
  if (token) headers.set('Authorization', `JWT ${token}`)
  const request = new Request(`${process.env.SERVER_URL}/api/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  })
  const response = await GRAPHQL_POST(config)(request)
  return { status: response.status, body: (await response.json()) as T, headers: response.headers }
}

let counter = 0
/** A unique, valid email for one test, so test files sharing a database never collide. */
export const uniqueEmail = (label: string): string =>
  `${label}.${Date.now().toString(36)}${(counter++).toString(36)}@example.com`
