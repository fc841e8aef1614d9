'use client'
import { useEffect, useState } from 'react'

/** A related record's id from a relationship field's form value (an id, or a populated document). */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id)
  return undefined
}

export type ZoneLookup = { status: 'none' } | { status: 'loading' } | { status: 'found'; timeZone: string } | { status: 'unreadable' }

/**
 * The `timeZone` of a tutor or student, read through the REST API as the signed-in user (so access rules
 * decide: a viewer who may not read the record gets 'unreadable', never a guessed zone). Fetched after
 * mount, so the server render and the first client render match.
 */
export function useRecordTimeZone(collection: 'tutors' | 'students', id: string | undefined): ZoneLookup {
  const [lookup, setLookup] = useState<ZoneLookup>({ status: 'none' })
  useEffect(() => {
    if (!id) {
      setLookup({ status: 'none' })
      return
    }
    const controller = new AbortController()
    setLookup({ status: 'loading' })
    fetch(`/api/${collection}/${encodeURIComponent(id)}?depth=0&select[timeZone]=true`, { credentials: 'include', signal: controller.signal })
      .then(async (response) => {
        const body = response.ok ? ((await response.json()) as { timeZone?: unknown }) : undefined
        setLookup(typeof body?.timeZone === 'string' && body.timeZone ? { status: 'found', timeZone: body.timeZone } : { status: 'unreadable' })
      })
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') setLookup({ status: 'unreadable' })
      })
    return () => controller.abort()
  }, [collection, id])
  return lookup
}
