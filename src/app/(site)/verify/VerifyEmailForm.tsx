'use client'

import { useState } from 'react'

import { postJson } from '../apiCall'

/**
 * Verification waits for the person's click: mail scanners that open every link in a message must not be what
 * uses the token.
 */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, setState] = useState<{ phase: 'ready' | 'sending' | 'done' | 'refused'; message?: string }>({ phase: 'ready' })
  if (state.phase === 'done') {
    return (
      <p role="status">
        Your email address is confirmed. You can now sign in and book a session. <a href="/">Find a tutor</a>
      </p>
    )
  }
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        setState({ phase: 'sending' })
        const answer = await postJson(`/api/students/verify/${token}`)
        setState(answer.ok ? { phase: 'done' } : { phase: 'refused', message: answer.message || `Confirmation failed (HTTP ${answer.status}). Try the link again.` })
      }}
    >
      <p>Confirm that this email address is yours to finish setting up your TutorTrack account.</p>
      <button type="submit" disabled={state.phase === 'sending'}>
        {state.phase === 'sending' ? 'Confirming…' : 'Confirm my email'}
      </button>
      {state.phase === 'refused' ? <p role="alert">{state.message}</p> : null}
    </form>
  )
}
