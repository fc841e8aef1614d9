'use client'

import { useState } from 'react'

import { postJson } from '../apiCall'

/** POST /api/students/logout ends this server-side session; then the home page, signed out. */
export function SignOutButton({ label, className }: { label: string; className: string }) {
  const [sending, setSending] = useState(false)
  return (
    <button
      type="button"
      className={className}
      disabled={sending}
      onClick={async () => {
        setSending(true)
        await postJson('/api/students/logout')
        window.location.assign('/')
      }}
    >
      {label}
    </button>
  )
}
