'use client'

import { useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { postJson } from '../apiCall'
import { Field } from '../_account/Field'
import { buttonClass, FormMessage } from '../_account/FormMessage'
import { rememberLanguage } from '../_account/language'

export type LoginText = { email: string; password: string; submit: string; sending: string; failed: string }

/**
 * Student sign-in through POST /api/students/login (its limits and lockout apply). On success the profile's
 * language becomes the site's (tt-lang) and the browser goes on to `next` — the pending choice — with a full
 * load, so the header and every server-rendered string are the signed-in, chosen-language ones.
 */
export function LoginForm({ next, text }: { next: string; text: LoginText }) {
  const [state, setState] = useState<{ sending: boolean; message?: string; fields?: Record<string, string> }>({ sending: false })
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        const form = new FormData(event.currentTarget)
        setState({ sending: true })
        const answer = await postJson('/api/students/login', { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') })
        if (answer.ok) {
          rememberLanguage((answer.body as { user?: { language?: unknown } }).user?.language)
          window.location.assign(next)
          return
        }
        setState({ sending: false, message: answer.message || fillIn(text.failed, { status: answer.status }) })
      }}
    >
      <Field id="login-email" label={text.email}>
        <input name="email" type="email" autoComplete="email" required />
      </Field>
      <Field id="login-password" label={text.password}>
        <input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <FormMessage kind="alert">{state.message}</FormMessage>
      <button type="submit" disabled={state.sending} className={buttonClass}>
        {state.sending ? text.sending : text.submit}
      </button>
    </form>
  )
}
