'use client'

import { useRouter } from 'next/navigation'
import { useEffect } from 'react'

const COOKIE = 'tz'
const YEAR_SECONDS = 365 * 24 * 60 * 60

function storedZone(): string | null {
  const match = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/)
  return match ? decodeURIComponent(match[1]!) : null
}

/**
 * Tells the server the visitor's zone through the `tz` cookie: a zone named in the address (the picker's
 * choice) is remembered; otherwise the browser's own zone (Intl) is stored on the first visit and the page is
 * rendered again with it (unless `rerender` is off: the finder, whose list a visitor may already be using, uses
 * it from the next search on). Without JavaScript, pages show the tutor's zone, named, and the picker still works.
 */
export function ZoneDetector({ chosen, shown, rerender = true }: { chosen: string | null; shown: string | null; rerender?: boolean }) {
  const router = useRouter()
  useEffect(() => {
    const stored = storedZone()
    const zone = chosen ?? stored ?? Intl.DateTimeFormat().resolvedOptions().timeZone
    if (!zone) return
    // Zone names are cookie-safe as they are (letters, digits, _ + - /).
    if (zone !== stored) document.cookie = `${COOKIE}=${zone}; path=/; max-age=${YEAR_SECONDS}; samesite=lax`
    if (rerender && !shown && zone !== stored) router.refresh()
  }, [chosen, shown, rerender, router])
  return null
}
