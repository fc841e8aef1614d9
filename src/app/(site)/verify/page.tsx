import { getTranslations } from 'next-intl/server'

import { safeNextPath } from '../../../lib/nextPath'
import { currentStudent } from '../_account/session'
import { isWellFormedToken } from '../apiCall'
import { VerifyEmailForm, type VerifyEmailText } from './VerifyEmailForm'

export const dynamic = 'force-dynamic'

export async function generateMetadata() {
  const [t, site] = await Promise.all([getTranslations('Verify'), getTranslations('Site')])
  return { title: `${t('title')} — ${site('productName')}` }
}

/** Where the verification email's link lands (src/email/authEmails.ts builds it from SERVER_URL, with `next` when registration had one). */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[]; next?: string | string[] }> }) {
  const { token, next } = await searchParams
  const t = await getTranslations('Verify')
  const text: VerifyEmailText = {
    intro: t('intro'),
    submit: t('submit'),
    sending: t('sending'),
    done: t('done'),
    signIn: t('signIn'),
    findTutor: t('findTutor'),
    failed: t.raw('failed') as string,
  }
  return (
    <>
      <h1>{t('title')}</h1>
      {isWellFormedToken(token) ? <VerifyEmailForm token={token} next={safeNextPath(next)} signedIn={(await currentStudent()) !== null} text={text} /> : <p role="alert">{t('incompleteLink')}</p>}
    </>
  )
}
