'use client'
import { useSyncExternalStore } from 'react'

const noSubscription = () => () => {}
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone
const unknownOnServer = () => null

/**
 * The viewer's time zone: the browser's (staff accounts have no zone of their own). Null while rendering on the
 * server and during hydration, so server and browser HTML agree; the component renders again with the zone.
 */
export function useViewerZone(): string | null {
  return useSyncExternalStore(noSubscription, browserZone, unknownOnServer)
}
