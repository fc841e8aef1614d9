'use client'

import { useState } from 'react'

import { postJson } from '../apiCall'

/** The new password goes to POST /api/students/reset-password, which applies the password policy and the token's expiry. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [state, setState] = useState<{ phase: 'ready' | 'sending' | 'done' | 'refused'; message?: string }>({ phase: 'ready' })
  if (state.phase === 'done') {
    return (
      <p role="status">
        Your password is changed, and any other signed-in sessions are signed out. <a href="/">Back to TutorTrack</a>
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
          setState({ phase: 'refused', message: 'The two passwords are not the same. Type the new password twice.' })
          return
        }
        setState({ phase: 'sending' })
        const answer = await postJson('/api/students/reset-password', { token, password })
        setState(answer.ok ? { phase: 'done' } : { phase: 'refused', message: answer.message || `The password was not changed (HTTP ${answer.status}).` })
      }}
    >
      <p>
        <label>
          New password <input name="password" type="password" autoComplete="new-password" required />
        </label>
      </p>
      <p>
        <label>
          Repeat it <input name="repeat" type="password" autoComplete="new-password" required />
        </label>
      </p>
      <button type="submit" disabled={state.phase === 'sending'}>
        {state.phase === 'sending' ? 'Saving…' : 'Save my new password'}
      </button>
      {state.phase === 'refused' ? <p role="alert">{state.message}</p> : null}
    </form>
  )
}
