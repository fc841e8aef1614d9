'use client'

import { Button, toast, useConfig, useDocumentInfo } from '@payloadcms/ui'
import { useState } from 'react'

import './inviteTutorButton.css'

type Answer = { message?: string; errors?: { message?: string }[] }

/**
 * "Invite to sign in" on a saved tutor profile (admins only, see collections/Tutors): posts to
 * /api/users/invite-tutor, which creates the tutor's account and mails a set-password link (or a fresh one).
 */
export function InviteTutorButton() {
  const { id } = useDocumentInfo()
  const { config } = useConfig()
  const [sending, setSending] = useState(false)
  const [outcome, setOutcome] = useState<string>('')
  if (!id) return null

  const invite = async () => {
    setSending(true)
    setOutcome('')
    try {
      const response = await fetch(`${config.routes.api}/users/invite-tutor`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ tutor: String(id) }),
      })
      const answer = (await response.json().catch(() => ({}))) as Answer
      const message = response.ok ? answer.message ?? 'Invitation sent.' : answer.errors?.[0]?.message ?? `The invitation failed (${response.status}).`
      setOutcome(message)
      if (response.ok) toast.success(message)
      else toast.error(message)
    } catch {
      const message = 'The invitation could not be sent: check the connection and try again.'
      setOutcome(message)
      toast.error(message)
    } finally {
      setSending(false)
    }
  }

  return (
    <div className="invite-tutor">
      <p className="invite-tutor__label">Tutor sign-in</p>
      <p className="invite-tutor__help">Emails the tutor a link to choose a password and sign in here, where they see only their own sessions and profile.</p>
      <Button buttonStyle="secondary" size="medium" disabled={sending} onClick={invite}>
        {sending ? 'Sending…' : 'Invite to sign in'}
      </Button>
      <p className="invite-tutor__outcome" role="status">
        {outcome}
      </p>
    </div>
  )
}
