import { isWellFormedToken } from '../apiCall'
import { VerifyEmailForm } from './VerifyEmailForm'

export const dynamic = 'force-dynamic'
export const metadata = { title: 'Confirm your email — TutorTrack' }

/** Where the verification email's link lands (src/email/authEmails.ts builds it from SERVER_URL). */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams
  return (
    <>
      <h1>Confirm your email</h1>
      {isWellFormedToken(token) ? (
        <VerifyEmailForm token={token} />
      ) : (
        <p role="alert">This link is incomplete. Open the link from your verification email again, or copy the whole address into your browser.</p>
      )}
    </>
  )
}
