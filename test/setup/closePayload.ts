import { afterAll } from '@jest/globals'

type CachedPayload = { payload: { destroy: () => Promise<void> } | null }

/** Each integration test file closes the Payload instances it opened, so Jest exits cleanly. */
afterAll(async () => {
  const cache = (globalThis as { _payload?: Map<string, CachedPayload> })._payload
  if (!cache) return
  for (const [key, entry] of cache) {
    await entry.payload?.destroy()
    cache.delete(key)
  }
})
