'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'

import { postJson } from '../../apiCall'

/** Student sign-in through POST /api/students/login (its limits and lockout apply); the page then reloads signed in. */
export function SignInForm() {
  const router = useRouter()
  const [state, setState] = useState<{ sending: boolean; message?: string }>({ sending: false })
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        const form = new FormData(event.currentTarget)
        setState({ sending: true })
        const answer = await postJson('/api/students/login', { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') })
        if (answer.ok) {
          setState({ sending: false })
          router.refresh()
        } else {
          setState({ sending: false, message: answer.message || `Sign-in failed (HTTP ${answer.status}).` })
        }
      }}
    >
      <p>
        <label>
          Email <input name="email" type="email" autoComplete="email" required />
        </label>
      </p>
      <p>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
      </p>
      <button type="submit" disabled={state.sending}>
        {state.sending ? 'Signing in…' : 'Sign in'}
      </button>
      {state.message ? <p role="alert">{state.message}</p> : null}
    </form>
  )
}
