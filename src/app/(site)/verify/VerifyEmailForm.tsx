'use client'

import { useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { postJson } from '../apiCall'

export type VerifyEmailText = { intro: string; submit: string; sending: string; done: string; findTutor: string; failed: string }

/**
 * Verification waits for the person's click: mail scanners that open every link in a message must not be what
 * uses the token.
 */
export function VerifyEmailForm({ token, text }: { token: string; text: VerifyEmailText }) {
  const [state, setState] = useState<{ phase: 'ready' | 'sending' | 'done' | 'refused'; message?: string }>({ phase: 'ready' })
  if (state.phase === 'done') {
    return (
      <p role="status">
        {text.done} <a href="/">{text.findTutor}</a>
      </p>
    )
  }
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        setState({ phase: 'sending' })
        const answer = await postJson(`/api/students/verify/${token}`)
        setState(answer.ok ? { phase: 'done' } : { phase: 'refused', message: answer.message || fillIn(text.failed, { status: answer.status }) })
      }}
    >
      <p>{text.intro}</p>
      <button type="submit" disabled={state.phase === 'sending'}>
        {state.phase === 'sending' ? text.sending : text.submit}
      </button>
      {state.phase === 'refused' ? <p role="alert">{state.message}</p> : null}
    </form>
  )
}
