'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'

import { fillIn } from '../../../../i18n/clientText'
import { postJson } from '../../apiCall'

export type SignInText = { email: string; password: string; submit: string; sending: string; failed: string }

/** Student sign-in through POST /api/students/login (its limits and lockout apply); the page then reloads signed in. */
export function SignInForm({ text }: { text: SignInText }) {
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
          setState({ sending: false, message: answer.message || fillIn(text.failed, { status: answer.status }) })
        }
      }}
    >
      <p>
        <label>
          {text.email} <input name="email" type="email" autoComplete="email" required />
        </label>
      </p>
      <p>
        <label>
          {text.password} <input name="password" type="password" autoComplete="current-password" required />
        </label>
      </p>
      <button type="submit" disabled={state.sending}>
        {state.sending ? text.sending : text.submit}
      </button>
      {state.message ? <p role="alert">{state.message}</p> : null}
    </form>
  )
}
