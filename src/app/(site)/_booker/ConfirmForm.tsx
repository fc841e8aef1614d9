'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'

import { fillIn } from '../../../i18n/clientText'
import { bookedHref } from './bookerUrls'
import { newIdempotencyKey, sendBooking } from './bookingApi'

export type ConfirmText = { note: string; noteHint: string; book: string; booking: string; move: string; moving: string; failed: string; offline: string }

/**
 * Books (or moves) the chosen time. On success the booked page opens; on a 409 the page is asked again, and
 * if the time has gone it shows the nearest free ones instead of this form.
 */
export function ConfirmForm({ tutorId, start, duration, reschedule, tz, text }: {
  tutorId: string
  start: string
  duration: number
  reschedule: string | null
  tz: string | null
  text: ConfirmText
}) {
  const router = useRouter()
  const [key, setKey] = useState(newIdempotencyKey)
  const [state, setState] = useState<{ sending: boolean; message?: string }>({ sending: false })
  return (
    <form
      className="grid gap-3"
      onSubmit={async (event) => {
        event.preventDefault()
        const notes = String(new FormData(event.currentTarget).get('notes') ?? '').trim()
        setState({ sending: true })
        const answer = await sendBooking({ tutor: tutorId, start, duration, notes, reschedule, idempotencyKey: key })
        if (answer.ok && answer.appointmentId) {
          router.push(bookedHref(answer.appointmentId, tz))
          return
        }
        // A definite answer uses up the key; after a network failure or an outage the retry reuses it.
        if (answer.status !== 0 && answer.status !== 503) setKey(newIdempotencyKey())
        setState({ sending: false, message: answer.message || (answer.status ? fillIn(text.failed, { status: answer.status }) : text.offline) })
        if (answer.status === 409) router.refresh()
      }}
    >
      {reschedule ? null : (
        <label className="grid gap-1 font-medium text-slate-800">
          {text.note}
          <textarea name="notes" maxLength={2000} rows={3} aria-describedby="note-hint" className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal" />
          <span id="note-hint" className="text-sm font-normal text-slate-600">
            {text.noteHint}
          </span>
        </label>
      )}
      <button
        type="submit"
        disabled={state.sending}
        className="justify-self-start rounded-lg bg-brand-700 px-6 py-3 text-base font-semibold text-white hover:bg-brand-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:opacity-70"
      >
        {reschedule ? (state.sending ? text.moving : text.move) : state.sending ? text.booking : text.book}
      </button>
      {state.message ? (
        <p role="alert" data-testid="booking-error" className="rounded-lg border border-red-300 bg-red-50 p-3 text-red-900">
          {state.message}
        </p>
      ) : null}
    </form>
  )
}
