import type { PayloadRequest } from 'payload'

import { errorResponse } from './errors'

export type JsonObject = Record<string, unknown>

export type JsonBodyResult = { ok: true; data: JsonObject } | { ok: false; message: string; response: Response }

/** `application/json`, or a JSON-based type by its `+json` suffix (RFC 6839, e.g. application/merge-patch+json). */
const isJsonType = (contentType: string): boolean => contentType === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(contentType)

const refuse = (message: string): JsonBodyResult => ({ ok: false, message, response: errorResponse(400, 'INVALID_REQUEST', message) })

/**
 * Reads the body of a JSON request, or of the admin panel's multipart form posts (Payload's `Form` sends
 * `multipart/form-data` with the fields JSON-encoded in `_payload`), as an object. The bytes are read once and the
 * request is re-armed (`text()`, `json()`, `formData()`, `body`), so Payload's built-in handler, which parses the
 * body again through addDataAndFileToRequest, still gets it. Anything else is a 400 with a reason.
 * `multipart: false` accepts JSON only.
 */
export async function readJsonObject(req: PayloadRequest, options: { multipart?: boolean } = {}): Promise<JsonBodyResult> {
  const contentTypeHeader = req.headers.get('content-type') ?? ''
  const contentType = contentTypeHeader.split(';', 1)[0].trim().toLowerCase()
  const multipart = (options.multipart ?? true) && contentType === 'multipart/form-data'
  if (!isJsonType(contentType) && !multipart) return refuse('Send a JSON body with "Content-Type: application/json".')
  let bytes: Uint8Array<ArrayBuffer>
  try {
    bytes = new Uint8Array(req.arrayBuffer ? await req.arrayBuffer() : new ArrayBuffer(0))
  } catch {
    return refuse('The request body could not be read.')
  }
  const text = new TextDecoder().decode(bytes)
  let data: unknown
  try {
    if (multipart) {
      const form = await new Response(bytes, { headers: { 'content-type': contentTypeHeader } }).formData()
      const encoded = form.get('_payload')
      data = typeof encoded === 'string' ? JSON.parse(encoded) : {}
    } else {
      data = text ? JSON.parse(text) : undefined
    }
  } catch {
    return refuse(multipart ? 'The form data could not be read.' : 'The request body is not valid JSON.')
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return refuse('The request body must be a JSON object.')
  const rearmed = req as unknown as Record<string, unknown>
  rearmed.text = () => Promise.resolve(text)
  rearmed.json = () => Promise.resolve(JSON.parse(text))
  rearmed.arrayBuffer = () => Promise.resolve(bytes.slice().buffer)
  rearmed.formData = () => new Response(bytes, { headers: { 'content-type': contentTypeHeader } }).formData()
  Object.defineProperty(req, 'body', { configurable: true, get: () => new Response(bytes).body })
  rearmed.data = data
  return { ok: true, data: data as JsonObject }
}
