import { errorResponse } from '../http/errors'

/**
 * Wraps Payload's GraphQL route handler (src/app/(payload)/api/graphql/route.ts). Payload parses the body with no
 * error handling around it, so a malformed JSON body became a 500. Here it is a 400 with a reason, and any other
 * 4xx error thrown before GraphQL itself answers is rendered as one too.
 */
type RouteHandler = (request: Request) => Promise<Response>

// No `code` in these bodies (Payload's GraphQL errors have none either).
const refuse = (status: number, message: string) => errorResponse(status, undefined, message)

export function guardGraphQL(handler: RouteHandler): RouteHandler {
  return async (request) => {
    const contentType = (request.headers.get('content-type') ?? '').split(';', 1)[0].trim().toLowerCase()
    // No upload fields are exposed over GraphQL here: JSON is the only way in (multipart made Payload fail with a 500).
    if (contentType !== 'application/json') return refuse(415, 'Send the GraphQL request as JSON: Content-Type: application/json.')
    {
      let parsed: unknown
      try {
        parsed = JSON.parse(await request.clone().text())
      } catch {
        return refuse(400, 'The request body is not valid JSON. Send {"query": "…", "variables": {…}}.')
      }
      if (!parsed || typeof parsed !== 'object') return refuse(400, 'Send a JSON object: {"query": "…", "variables": {…}}.')
    }
    try {
      return await handler(request)
    } catch (error) {
      const status = (error as { status?: number })?.status
      if (typeof status === 'number' && status >= 400 && status < 500) return refuse(status, (error as Error).message || 'Bad request.')
      throw error
    }
  }
}
