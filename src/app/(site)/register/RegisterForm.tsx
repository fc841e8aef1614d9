'use client'

import { useEffect, useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { postJson } from '../apiCall'
import { LanguageSelect, ZoneSelect } from '../_account/ChoiceSelects'
import type { Choice } from '../_account/choices'
import { Field } from '../_account/Field'
import { buttonClass, FormMessage } from '../_account/FormMessage'

export type RegisterText = {
  fullName: string
  email: string
  password: string
  passwordHint: string
  phone: string
  phoneHint: string
  timeZone: string
  timeZoneHint: string
  language: string
  submit: string
  sending: string
  failed: string
  fixFields: string
}

const FIELDS = ['fullName', 'email', 'password', 'phone', 'timeZone', 'language'] as const

/**
 * Registration through POST /api/students (rate limits; the same answer for a new and a known address). The time
 * zone starts as the browser's and the language as the page's; both can be changed. A refusal's sentences are
 * shown beside their fields. `next` travels as a query parameter so the verification mail's link carries it.
 */
export function RegisterForm({ next, locale, zones, languages, text }: { next: string | null; locale: string; zones: string[]; languages: Choice[]; text: RegisterText }) {
  const [zone, setZone] = useState('UTC')
  const [language, setLanguage] = useState(locale)
  const [state, setState] = useState<{ sending: boolean; message?: string; fields: Record<string, string> }>({ sending: false, fields: {} })
  useEffect(() => {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone
    if (detected) setZone(detected)
  }, [])
  const fieldError = (name: string) => state.fields[name]
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        const form = new FormData(event.currentTarget)
        const phone = String(form.get('phone') ?? '').trim()
        const body = {
          fullName: String(form.get('fullName') ?? ''),
          email: String(form.get('email') ?? ''),
          password: String(form.get('password') ?? ''),
          timeZone: zone,
          language,
          ...(phone ? { phone } : {}),
        }
        setState({ sending: true, fields: {} })
        const answer = await postJson(`/api/students${next ? `?next=${encodeURIComponent(next)}` : ''}`, body)
        if (answer.ok) {
          window.location.assign('/check-email')
          return
        }
        const known = Object.keys(answer.fields).some((name) => (FIELDS as readonly string[]).includes(name))
        setState({
          sending: false,
          fields: answer.fields,
          message: known ? text.fixFields : answer.message || fillIn(text.failed, { status: answer.status }),
        })
      }}
    >
      <Field id="register-name" label={text.fullName} error={fieldError('fullName')}>
        <input name="fullName" autoComplete="name" required maxLength={120} />
      </Field>
      <Field id="register-email" label={text.email} error={fieldError('email')}>
        <input name="email" type="email" autoComplete="email" required />
      </Field>
      <Field id="register-password" label={text.password} hint={text.passwordHint} error={fieldError('password')}>
        <input name="password" type="password" autoComplete="new-password" required minLength={12} maxLength={128} />
      </Field>
      <Field id="register-phone" label={text.phone} hint={text.phoneHint} error={fieldError('phone')}>
        <input name="phone" type="tel" autoComplete="tel" maxLength={24} />
      </Field>
      <Field id="register-zone" label={text.timeZone} hint={text.timeZoneHint} error={fieldError('timeZone')}>
        <ZoneSelect name="timeZone" zones={zones} value={zone} onChange={setZone} />
      </Field>
      <Field id="register-language" label={text.language} error={fieldError('language')}>
        <LanguageSelect name="language" languages={languages} value={language} onChange={setLanguage} />
      </Field>
      <FormMessage kind="alert">{state.message}</FormMessage>
      <button type="submit" disabled={state.sending} className={buttonClass}>
        {state.sending ? text.sending : text.submit}
      </button>
    </form>
  )
}
