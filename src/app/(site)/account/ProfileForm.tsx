'use client'

import { useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { sendJson } from '../apiCall'
import { LanguageSelect, ZoneSelect } from '../_account/ChoiceSelects'
import type { Choice } from '../_account/choices'
import { Field } from '../_account/Field'
import { buttonClass, FormMessage } from '../_account/FormMessage'
import { rememberLanguage } from '../_account/language'

export type ProfileText = { fullName: string; phone: string; phoneHint: string; timeZone: string; timeZoneHint: string; language: string; submit: string; sending: string; saved: string; fixFields: string; failed: string }

export type Profile = { id: string; fullName: string; phone: string; timeZone: string; language: string }

/** PATCH /api/students/:id (the student's own record; the collection's validation applies). A new language reloads the page in it. */
export function ProfileForm({ profile, zones, languages, text }: { profile: Profile; zones: string[]; languages: Choice[]; text: ProfileText }) {
  const [zone, setZone] = useState(profile.timeZone)
  const [language, setLanguage] = useState(profile.language)
  const [state, setState] = useState<{ phase: 'ready' | 'sending' | 'saved' | 'refused'; message?: string; fields: Record<string, string> }>({ phase: 'ready', fields: {} })
  return (
    <form
      aria-labelledby="profile-heading"
      onSubmit={async (event) => {
        event.preventDefault()
        const form = new FormData(event.currentTarget)
        setState({ phase: 'sending', fields: {} })
        const answer = await sendJson('PATCH', `/api/students/${profile.id}`, {
          fullName: String(form.get('fullName') ?? ''),
          phone: String(form.get('phone') ?? '').trim(),
          timeZone: zone,
          language,
        })
        if (!answer.ok) {
          const known = Object.keys(answer.fields).length > 0
          setState({ phase: 'refused', fields: answer.fields, message: known ? text.fixFields : answer.message || fillIn(text.failed, { status: answer.status }) })
          return
        }
        rememberLanguage(language)
        if (language !== profile.language) {
          window.location.reload()
          return
        }
        setState({ phase: 'saved', fields: {} })
      }}
    >
      <Field id="profile-name" label={text.fullName} error={state.fields.fullName}>
        <input name="fullName" autoComplete="name" required maxLength={120} defaultValue={profile.fullName} />
      </Field>
      <Field id="profile-zone" label={text.timeZone} hint={text.timeZoneHint} error={state.fields.timeZone}>
        <ZoneSelect name="timeZone" zones={zones} value={zone} onChange={setZone} />
      </Field>
      <Field id="profile-phone" label={text.phone} hint={text.phoneHint} error={state.fields.phone}>
        <input name="phone" type="tel" autoComplete="tel" maxLength={24} defaultValue={profile.phone} />
      </Field>
      <Field id="profile-language" label={text.language} error={state.fields.language}>
        <LanguageSelect name="language" languages={languages} value={language} onChange={setLanguage} />
      </Field>
      <FormMessage kind="alert">{state.phase === 'refused' ? state.message : undefined}</FormMessage>
      <FormMessage kind="status">{state.phase === 'saved' ? text.saved : undefined}</FormMessage>
      <button type="submit" disabled={state.phase === 'sending'} className={buttonClass}>
        {state.phase === 'sending' ? text.sending : text.submit}
      </button>
    </form>
  )
}
