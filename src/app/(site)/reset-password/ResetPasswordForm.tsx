'use client'

import { useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { postJson } from '../apiCall'

export type ResetPasswordText = { password: string; repeat: string; submit: string; sending: string; mismatch: string; done: string; toAccount: string; failed: string }

/**
 * The new password goes to POST /api/students/reset-password, which applies the password policy and the token's
 * expiry, and (Payload's reset) signs the student in: hence the way on is their account, not the sign-in page.
 */
export function ResetPasswordForm({ token, text }: { token: string; text: ResetPasswordText }) {
  const [state, setState] = useState<{ phase: 'ready' | 'sending' | 'done' | 'refused'; message?: string }>({ phase: 'ready' })
  if (state.phase === 'done') {
    return (
      <p role="status">
        {text.done} <a href="/account">{text.toAccount}</a>
      </p>
    )
  }
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        const form = new FormData(event.currentTarget)
        const password = String(form.get('password') ?? '')
        if (password !== String(form.get('repeat') ?? '')) {
          setState({ phase: 'refused', message: text.mismatch })
          return
        }
        setState({ phase: 'sending' })
        const answer = await postJson('/api/students/reset-password', { token, password })
        setState(answer.ok ? { phase: 'done' } : { phase: 'refused', message: answer.message || fillIn(text.failed, { status: answer.status }) })
      }}
    >
      <p>
        <label>
          {text.password} <input name="password" type="password" autoComplete="new-password" required />
        </label>
      </p>
      <p>
        <label>
          {text.repeat} <input name="repeat" type="password" autoComplete="new-password" required />
        </label>
      </p>
      <button type="submit" disabled={state.phase === 'sending'}>
        {state.phase === 'sending' ? text.sending : text.submit}
      </button>
      {state.phase === 'refused' ? <p role="alert">{state.message}</p> : null}
    </form>
  )
}
