'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'

import { postJson } from '../../apiCall'

/** POST /api/appointments/:id/cancel: the tutor's cancellation cut-off and its message come from the server. */
export function CancelBookingButton({ appointmentId }: { appointmentId: string }) {
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
          setState({ sending: false, message: answer.message || `The booking was not cancelled (HTTP ${answer.status}).` })
        }
      }}
    >
      <p>
        <label>
          Reason (optional) <input name="reason" maxLength={1000} />
        </label>
      </p>
      <button type="submit" disabled={state.sending}>
        {state.sending ? 'Cancelling…' : 'Cancel this session'}
      </button>
      {state.message ? <p role="alert">{state.message}</p> : null}
    </form>
  )
}
