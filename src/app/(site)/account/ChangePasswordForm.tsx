'use client'

import { useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { postJson } from '../apiCall'
import { Field } from '../_account/Field'
import { buttonClass, FormMessage } from '../_account/FormMessage'

export type ChangePasswordText = { current: string; next: string; nextHint: string; repeat: string; mismatch: string; submit: string; sending: string; done: string; failed: string }

/** POST /api/students/change-password: the current password first, then the new one under the password policy. */
export function ChangePasswordForm({ text }: { text: ChangePasswordText }) {
  const [state, setState] = useState<{ phase: 'ready' | 'sending' | 'done' | 'refused'; message?: string; fields: Record<string, string> }>({ phase: 'ready', fields: {} })
  return (
    <form
      aria-labelledby="password-heading"
      onSubmit={async (event) => {
        event.preventDefault()
        const formElement = event.currentTarget
        const form = new FormData(formElement)
        const newPassword = String(form.get('newPassword') ?? '')
        if (newPassword !== String(form.get('repeat') ?? '')) {
          setState({ phase: 'refused', fields: { repeat: text.mismatch } })
          return
        }
        setState({ phase: 'sending', fields: {} })
        const answer = await postJson('/api/students/change-password', { currentPassword: String(form.get('currentPassword') ?? ''), newPassword })
        if (answer.ok) {
          formElement.reset()
          setState({ phase: 'done', fields: {} })
          return
        }
        const known = Object.keys(answer.fields).length > 0
        setState({ phase: 'refused', fields: answer.fields, message: known ? undefined : answer.message || fillIn(text.failed, { status: answer.status }) })
      }}
    >
      <Field id="password-current" label={text.current} error={state.fields.currentPassword}>
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </Field>
      <Field id="password-new" label={text.next} hint={text.nextHint} error={state.fields.newPassword}>
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={12} maxLength={128} />
      </Field>
      <Field id="password-repeat" label={text.repeat} error={state.fields.repeat}>
        <input name="repeat" type="password" autoComplete="new-password" required />
      </Field>
      <FormMessage kind="alert">{state.phase === 'refused' ? state.message : undefined}</FormMessage>
      <FormMessage kind="status">{state.phase === 'done' ? text.done : undefined}</FormMessage>
      <button type="submit" disabled={state.phase === 'sending'} className={buttonClass}>
        {state.phase === 'sending' ? text.sending : text.submit}
      </button>
    </form>
  )
}
