'use client'

import { useState } from 'react'

import { fillIn } from '../../../../i18n/clientText'
import { postJson } from '../../apiCall'

export type MessageTutorText = { label: string; hint: string; send: string; sending: string; failed: string }

/** POST /api/appointments/:id/message: the server mails the tutor and answers with the sentence shown here. */
export function MessageTutorForm({ appointmentId, maxLength, text }: { appointmentId: string; maxLength: number; text: MessageTutorText }) {
  const [state, setState] = useState<{ sending: boolean; sent?: string; error?: string }>({ sending: false })
  return (
    <form
      className="grid gap-2"
      onSubmit={async (event) => {
        event.preventDefault()
        const form = event.currentTarget
        const message = String(new FormData(form).get('message') ?? '')
        setState({ sending: true })
        const answer = await postJson(`/api/appointments/${appointmentId}/message`, { message })
        if (answer.ok) {
          form.reset()
          setState({ sending: false, sent: answer.message })
        } else {
          setState({ sending: false, error: answer.message || fillIn(text.failed, { status: answer.status }) })
        }
      }}
    >
      <label htmlFor="tutor-message" className="font-medium">
        {text.label}
      </label>
      <textarea
        id="tutor-message"
        name="message"
        required
        rows={4}
        maxLength={maxLength}
        aria-describedby="tutor-message-hint"
        className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2"
      />
      <p id="tutor-message-hint" className="m-0 text-sm text-slate-700">
        {text.hint}
      </p>
      <button type="submit" disabled={state.sending} className="w-fit rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-60">
        {state.sending ? text.sending : text.send}
      </button>
      <p role="status" className="m-0 text-emerald-800" data-testid="message-sent">
        {state.sent ?? ''}
      </p>
      {state.error ? (
        <p role="alert" className="m-0 text-rose-800">
          {state.error}
        </p>
      ) : null}
    </form>
  )
}
