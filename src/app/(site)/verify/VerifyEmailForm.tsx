'use client'

import { useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { postJson } from '../apiCall'

export type VerifyEmailText = { intro: string; submit: string; sending: string; done: string; signIn: string; findTutor: string; failed: string }

/**
 * Verification waits for the person's click: mail scanners that open every link in a message must not be what
 * uses the token. With a pending choice (`next`, already checked by the page) the student continues there: at once
 * when this browser is signed in, else through the sign-in page, which returns them to it.
 */
export function VerifyEmailForm({ token, next, signedIn, text }: { token: string; next: string | null; signedIn: boolean; text: VerifyEmailText }) {
  const [state, setState] = useState<{ phase: 'ready' | 'sending' | 'done' | 'refused'; message?: string }>({ phase: 'ready' })
  if (state.phase === 'done') {
    return (
      <p role="status">
        {text.done} {signedIn ? null : <a href="/login">{text.signIn}</a>} <a href="/">{text.findTutor}</a>
      </p>
    )
  }
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        setState({ phase: 'sending' })
        const answer = await postJson(`/api/students/verify/${token}`)
        if (answer.ok && next) {
          window.location.assign(signedIn ? next : `/login?verified=1&next=${encodeURIComponent(next)}`)
          return
        }
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
