'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'

import { fillIn } from '../../../../i18n/clientText'
import { postJson } from '../../apiCall'

export type CancelBookingText = { reason: string; cancel: string; cancelling: string; failed: string }

/** POST /api/appointments/:id/cancel: the tutor's cancellation cut-off and its message come from the server. */
export function CancelBookingButton({ appointmentId, text }: { appointmentId: string; text: CancelBookingText }) {
  const router = useRouter()
  const [state, setState] = useState<{ sending: boolean; message?: string }>({ sending: false })
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim()
        setState({ sending: true })
        const answer = await postJson(`/api/appointments/${appointmentId}/cancel`, reason ? { reason } : {})
        if (answer.ok) {
          setState({ sending: false })
          router.refresh()
        } else {
          setState({ sending: false, message: answer.message || fillIn(text.failed, { status: answer.status }) })
        }
      }}
    >
      <p>
        <label>
          {text.reason} <input name="reason" maxLength={1000} />
        </label>
      </p>
      <button type="submit" disabled={state.sending}>
        {state.sending ? text.cancelling : text.cancel}
      </button>
      {state.message ? <p role="alert">{state.message}</p> : null}
    </form>
  )
}
