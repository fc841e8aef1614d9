'use client'

import { useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { postJson } from '../apiCall'
import { Field } from '../_account/Field'
import { buttonClass, FormMessage } from '../_account/FormMessage'

export type ForgotPasswordText = { email: string; submit: string; sending: string; done: string; failed: string }

/** POST /api/students/forgot-password answers the same whether or not the address has an account; so does this. */
export function ForgotPasswordForm({ text }: { text: ForgotPasswordText }) {
  const [state, setState] = useState<{ phase: 'ready' | 'sending' | 'done' | 'refused'; message?: string; fields?: Record<string, string> }>({ phase: 'ready' })
  if (state.phase === 'done') return <FormMessage kind="status">{text.done}</FormMessage>
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        const form = new FormData(event.currentTarget)
        setState({ phase: 'sending' })
        const answer = await postJson('/api/students/forgot-password', { email: String(form.get('email') ?? '') })
        setState(answer.ok ? { phase: 'done' } : { phase: 'refused', fields: answer.fields, message: answer.message || fillIn(text.failed, { status: answer.status }) })
      }}
    >
      <Field id="forgot-email" label={text.email} error={state.fields?.email}>
        <input name="email" type="email" autoComplete="email" required />
      </Field>
      <FormMessage kind="alert">{state.phase === 'refused' && !state.fields?.email ? state.message : undefined}</FormMessage>
      <button type="submit" disabled={state.phase === 'sending'} className={buttonClass}>
        {state.phase === 'sending' ? text.sending : text.submit}
      </button>
    </form>
  )
}
