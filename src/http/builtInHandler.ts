import type { CollectionSlug, Endpoint, PayloadHandler, PayloadRequest } from 'payload'

/**
 * The handler Payload itself has for this collection, method and path: an endpoint of ours that takes precedence
 * in the endpoint list (checks first, then Payload's own work) calls it to do that work.
 */
export function builtInHandler(req: PayloadRequest, slug: CollectionSlug, ours: Endpoint): PayloadHandler {
  const endpoints = req.payload.collections[slug].config.endpoints || []
  // Ours may be wrapped (src/i18n/accountAnswers.ts): the wrapper names the handler it wraps in `custom`.
  const isOurs = (endpoint: Endpoint): boolean => endpoint.handler === ours.handler || endpoint.custom?.wrapsHandler === ours.handler
  const found = endpoints.find((endpoint) => !isOurs(endpoint) && endpoint.method === ours.method && endpoint.path === ours.path)
  if (!found) throw new Error(`Payload's built-in ${ours.method.toUpperCase()} ${ours.path} endpoint for ${slug} not found`)
  return found.handler
}
