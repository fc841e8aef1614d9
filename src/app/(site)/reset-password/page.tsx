import { isWellFormedToken } from '../apiCall'
import { ResetPasswordForm } from './ResetPasswordForm'

export const dynamic = 'force-dynamic'
export const metadata = { title: 'Choose a new password — TutorTrack' }

/** Where the password-reset email's link lands (src/email/authEmails.ts builds it from SERVER_URL). */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams
  return (
    <>
      <h1>Choose a new password</h1>
      {isWellFormedToken(token) ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p role="alert">This link is incomplete. Open the link from your password-reset email again, or ask for a new one.</p>
      )}
    </>
  )
}
